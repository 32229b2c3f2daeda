// The prompts of one PAM batch, answered together. Enter submits (an empty answer
// is a valid answer); the answers are read from the inputs, sent, and the inputs
// emptied at once. With no `onAnswers` the form is a disabled stand-in: the last
// prompts stay where they were while the engine checks them or a delay runs.
import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { PromptView } from '../state/screen-state';
import type { AnswerField } from './answer-field';
import { RadioPrompt } from './RadioPrompt';
import { TextPrompt } from './TextPrompt';

interface PromptFormProps {
  prompts: PromptView[];
  /** All prompts of the batch have arrived. */
  complete: boolean;
  disabled: boolean;
  submitLabel: string;
  /** Where this batch stands among the attempt's steps ("Step 2 of 2"), when known. */
  step?: { step: number; total: number } | undefined;
  /** Escape empties what was typed (when anything was) instead of leaving the screen. */
  escapeClears?: boolean;
  onAnswers?: (answers: Array<readonly [id: string, value: string]>) => void;
}

export function PromptForm({ prompts, complete, disabled, submitLabel, step, escapeClears = false, onAnswers }: PromptFormProps) {
  const { t } = useI18n();
  const fields = useRef(new Map<string, AnswerField>());
  const [capsLock, setCapsLock] = useState(false);
  const capsLockId = useId();
  const inactive = disabled || onAnswers === undefined;
  const hasSecret = prompts.some((p) => p.style === 'echo-off');
  const showCapsLock = capsLock && hasSecret && !inactive;

  const register = (id: string, field: AnswerField | undefined) => {
    if (field === undefined) fields.current.delete(id);
    else fields.current.set(id, field);
  };

  // Each batch is a new form (keyed by batch id): focus goes to its first prompt
  // when the form appears or becomes usable, not when more prompts of the batch
  // arrive; before the first paint, so no keystroke lands elsewhere.
  const firstPromptId = prompts[0]?.id;
  useLayoutEffect(() => {
    if (!inactive && firstPromptId !== undefined) fields.current.get(firstPromptId)?.focus();
  }, [inactive, firstPromptId]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inactive || !complete || onAnswers === undefined) return;
    const answers = prompts.map((p) => [p.id, fields.current.get(p.id)?.read() ?? ''] as const);
    for (const field of fields.current.values()) field.clear();
    onAnswers(answers);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    setCapsLock(event.getModifierState('CapsLock'));
    if (event.key !== 'Escape' || !escapeClears || inactive) return;
    const filled = [...fields.current.values()].filter((f) => f.filled());
    if (filled.length === 0) return;
    // The first Escape empties the fields; the screen's own Escape comes next time.
    event.preventDefault();
    event.stopPropagation();
    for (const field of filled) field.clear();
    if (firstPromptId !== undefined) fields.current.get(firstPromptId)?.focus();
  };
  const trackCapsLock = (event: KeyboardEvent<HTMLFormElement>) => setCapsLock(event.getModifierState('CapsLock'));

  return (
    <form className="prompt-form" onSubmit={submit} onKeyDown={onKeyDown} onKeyUp={trackCapsLock} noValidate>
      {step !== undefined && <p className="prompt-step">{t('prompt.step', { step: step.step, total: step.total })}</p>}
      {prompts.map((prompt) =>
        prompt.style === 'radio' ? (
          <RadioPrompt key={prompt.id} prompt={prompt} disabled={inactive} register={register} />
        ) : (
          <TextPrompt
            key={prompt.id}
            prompt={prompt}
            disabled={inactive}
            capsLockWarningId={showCapsLock ? capsLockId : undefined}
            register={register}
          />
        ),
      )}
      {showCapsLock && (
        <p id={capsLockId} className="caps-lock-warning">
          {t('prompt.capsLock')}
        </p>
      )}
      <button className="button button-primary" type="submit" disabled={inactive || !complete}>
        {submitLabel}
      </button>
    </form>
  );
}
