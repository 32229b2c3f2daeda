// OP mode's conversation function: every message of a PAM batch is reported in
// order, and every prompt is answered with one line of input. The end of the
// input fails the conversation, so the module gets PAM_CONV_ERR and decides what
// that means (most fail the call).
import type { Answer, Conversation, PamMessage } from '../../../native';
import type { AnswerSource } from './answers';
import { answerProblem } from './answer-rules';
import type { CheckReport, PromptShown } from './report';

export class EndOfInputError extends Error {
  override name = 'EndOfInputError';
  constructor() {
    super('the input ended before every prompt was answered');
  }
}

export interface ConversationIo {
  report: CheckReport;
  answers: AnswerSource;
  /** Diagnostics for the person or script running the check (stderr). */
  warn: (text: string) => void;
}

export function checkConversation(io: ConversationIo): Conversation {
  let prompts = 0;
  return async (messages: PamMessage[], { signal }) => {
    const answers: Answer[] = [];
    try {
      await answerEach(messages, answers, signal);
    } catch (error) {
      // The batch goes nowhere: zero what was already typed for it.
      for (const answer of answers) if (answer instanceof Uint8Array) answer.fill(0);
      throw error;
    }
    return answers;
  };

  async function answerEach(messages: PamMessage[], answers: Answer[], signal: AbortSignal): Promise<void> {
    for (const message of messages) {
      switch (message.style) {
        case 'info':
        case 'error':
          io.report.message(message.style, message.text);
          answers.push(null);
          break;
        case 'echo-on':
        case 'echo-off':
        case 'radio':
          prompts += 1;
          try {
            answers.push(await answerPrompt({ id: `p${prompts}`, style: message.style, text: message.text }, io, signal));
          } catch (error) {
            if (error instanceof EndOfInputError) io.warn('gatehouse check: the input ended at a prompt: the module gets PAM_CONV_ERR');
            throw error;
          }
          break;
        case 'binary':
          io.warn('gatehouse check: a module sent a binary prompt, which cannot be answered from a terminal');
          throw new Error('binary prompts cannot be answered by gatehouse check');
      }
    }
  }
}

/**
 * Shows the prompt and reads lines until one is a valid answer; null input ends
 * it all. The answer is bytes, which whoever takes them zeroes (the addon once it
 * has copied them, the engine once PAM has them); a refused line is zeroed here.
 */
export async function answerPrompt(prompt: PromptShown, io: ConversationIo, signal: AbortSignal): Promise<Buffer> {
  for (;;) {
    const line = await io.answers.read(prompt, signal, () => io.report.prompt(prompt));
    if (line === null) throw new EndOfInputError();
    const problem = answerProblem(line);
    if (problem === undefined) return line;
    line.fill(0);
    io.warn(`gatehouse check: answer refused (${problem}); give it again`);
  }
}
