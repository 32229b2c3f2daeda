// A PAM_RADIO_TYPE prompt: Linux-PAM defines it as a yes/no question, so it is a
// choice of two; the answer is "yes" or "no" ("" when nothing is chosen, which
// PAM accepts like any empty answer).
import { useId, useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { PromptView } from '../state/screen-state';
import type { AnswerField } from './answer-field';
import { displayText } from './display-text';

interface RadioPromptProps {
  prompt: PromptView;
  disabled: boolean;
  register(id: string, field: AnswerField | undefined): void;
}

export const RADIO_ANSWERS = ['yes', 'no'] as const;

export function RadioPrompt({ prompt, disabled, register }: RadioPromptProps) {
  const { t } = useI18n();
  const name = useId();
  const group = useRef<HTMLFieldSetElement | null>(null);
  const radios = () => [...(group.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [])];

  const attach = (fieldset: HTMLFieldSetElement | null) => {
    group.current = fieldset;
    register(
      prompt.id,
      fieldset === null
        ? undefined
        : {
            read: () => radios().find((r) => r.checked)?.value ?? '',
            clear: () => radios().forEach((r) => (r.checked = false)),
            focus: () => radios()[0]?.focus(),
            filled: () => radios().some((r) => r.checked),
          },
    );
  };

  // Enter answers, as in a text field.
  const onKeyDown = (event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  };

  return (
    <fieldset ref={attach} className="field field-radio" disabled={disabled} onKeyDown={onKeyDown}>
      <legend className="field-label">
        {prompt.text.trim() === '' ? t('prompt.unlabelled') : displayText(prompt.text)}
      </legend>
      <div className="radio-choices">
        {RADIO_ANSWERS.map((value) => (
          <label key={value} className="radio-choice">
            <input type="radio" name={name} value={value} />
            <span>{t(value === 'yes' ? 'prompt.yes' : 'prompt.no')}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
