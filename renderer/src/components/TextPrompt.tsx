// One echo-on or echo-off PAM prompt. The input is uncontrolled: what the user
// types stays in the DOM element and is read once, on submit (PromptForm), so it
// never enters React state. A secret can be shown (Show, a toggle that starts
// off for every new prompt); a one-time code gets the numeric keypad, and stays
// unmasked when the module asks for it with echo on.
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { promptKind } from '../state/prompt-kind';
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

// The toggle does not take focus on a click: the field being typed into keeps it.
const keepFocus = (event: SyntheticEvent) => event.preventDefault();

export function TextPrompt({ prompt, disabled, capsLockWarningId, register }: TextPromptProps) {
  const { t } = useI18n();
  const inputId = useId();
  const input = useRef<HTMLInputElement | null>(null);
  const [revealed, setRevealed] = useState(false);
  const secret = prompt.style === 'echo-off';
  const code = promptKind(prompt) === 'code';
  const label = prompt.text.trim() === '' ? t('prompt.unlabelled') : displayText(prompt.text);

  const attach = (element: HTMLInputElement | null) => {
    input.current = element;
    register(
      prompt.id,
      element === null
        ? undefined
        : {
            read: () => element.value,
            clear: () => {
              element.value = '';
            },
            focus: () => element.focus(),
            filled: () => element.value !== '',
          },
    );
  };

  return (
    <div className="field">
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className="field-row">
        <input
          id={inputId}
          ref={attach}
          className="field-input"
          type={secret && !revealed ? 'password' : 'text'}
          // Neither the browser nor an extension may keep, suggest or correct an answer.
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          inputMode={code ? 'numeric' : undefined}
          enterKeyHint="go"
          disabled={disabled}
          data-osk-target=""
          data-prompt-style={prompt.style}
          aria-describedby={secret ? capsLockWarningId : undefined}
        />
        {secret && (
          <button
            type="button"
            className="button button-quiet field-reveal"
            aria-pressed={revealed}
            aria-controls={inputId}
            aria-label={t('prompt.showSecretLabel', { field: label.trim() })}
            disabled={disabled}
            onPointerDown={keepFocus}
            onMouseDown={keepFocus}
            onClick={() => {
              setRevealed((shown) => !shown);
              input.current?.focus();
            }}
          >
            {t('prompt.showSecret')}
          </button>
        )}
      </div>
    </div>
  );
}
