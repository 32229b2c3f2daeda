// One echo-on or echo-off PAM prompt. The input is uncontrolled: what the user
// types stays in the DOM element and is read once, on submit (PromptForm), so it
// never enters React state.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { PromptView } from '../state/screen-state';
import { displayText } from './display-text';
import type { AnswerField } from './answer-field';

interface TextPromptProps {
  prompt: PromptView;
  disabled: boolean;
  /** Id of the Caps Lock warning while it is shown (echo-off fields point to it). */
  capsLockWarningId: string | undefined;
  register(id: string, field: AnswerField | undefined): void;
}

export function TextPrompt({ prompt, disabled, capsLockWarningId, register }: TextPromptProps) {
  const { t } = useI18n();
  const inputId = useId();
  const secret = prompt.style === 'echo-off';
  const label = prompt.text.trim() === '' ? t('prompt.unlabelled') : displayText(prompt.text);

  const attach = (input: HTMLInputElement | null) => {
    register(
      prompt.id,
      input === null
        ? undefined
        : {
            read: () => input.value,
            clear: () => {
              input.value = '';
            },
            focus: () => input.focus(),
          },
    );
  };

  return (
    <div className="field">
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <input
        id={inputId}
        ref={attach}
        className="field-input"
        type={secret ? 'password' : 'text'}
        // Neither the browser nor an extension may keep, suggest or correct an answer.
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        enterKeyHint="go"
        disabled={disabled}
        data-osk-target=""
        data-prompt-style={prompt.style}
        aria-describedby={secret ? capsLockWarningId : undefined}
      />
    </div>
  );
}
