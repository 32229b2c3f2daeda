/** How PromptForm reaches one prompt's input without holding its value. */
export interface AnswerField {
  read(): string;
  clear(): void;
  focus(): void;
  /** Something was typed or chosen (without handing out what). */
  filled(): boolean;
}
