// The conversation part every mode shares: the prompts, the countdown, and "Try
// again" after a failure the UI does not retry by itself. (What the modules say
// is in the live regions, which App keeps in one place for the page's life.)
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useRemaining } from '../hooks/useRemaining';
import type { EngineActions } from '../hooks/useEngine';
import { promptKind } from '../state/prompt-kind';
import type { ScreenState } from '../state/screen-state';
import { Countdown } from './Countdown';
import { PromptForm } from './PromptForm';

interface FlowBodyProps {
  state: ScreenState;
  actions: EngineActions;
  submitLabel: string;
  /** Escape first empties the fields (unlock, login). */
  escapeClears?: boolean;
}

export function FlowBody({ state, actions, submitLabel: modeLabel, escapeClears = false }: FlowBodyProps) {
  const { t } = useI18n();
  // A new password is not yet an unlock, a sign-in or a confirmation.
  const submitLabel = state.phase === 'change-password' ? t('phase.changePassword.submit') : modeLabel;
  const delayed = useRemaining(state.delay?.until) > 0;
  const linkUp = state.connection === 'open';
  const { batch } = state;
  const canTryAgain = state.flow === 'ended' && state.restart === 'manual' && !delayed && linkUp;
  // While the engine checks the answers, a delay runs, or the next attempt starts,
  // the answered prompts stay where they were, disabled and empty.
  const showAnswered =
    batch === undefined &&
    state.answeredPrompts.length > 0 &&
    (state.flow === 'running' || state.flow === 'ended' || state.flow === 'starting');
  // A one-time code after a password is the second of two steps.
  const step =
    batch !== undefined && state.answeredSecretThisAttempt && batch.prompts.some((p) => promptKind(p) === 'code')
      ? { step: 2, total: 2 }
      : undefined;
  useTypingWhileWaiting(showAnswered, actions.typedWhileWaiting);

  return (
    <div className="flow">
      {batch !== undefined && (
        <PromptForm
          key={batch.id}
          prompts={batch.prompts}
          complete={batch.prompts.length >= batch.count}
          disabled={!linkUp}
          submitLabel={submitLabel}
          step={step}
          escapeClears={escapeClears}
          onAnswers={(answers) => actions.answer(batch.id, answers)}
        />
      )}
      {showAnswered && (
        <PromptForm
          key={`answered-${state.answeredPrompts[0]!.id}`}
          prompts={state.answeredPrompts}
          complete={false}
          disabled
          submitLabel={submitLabel}
        />
      )}
      <Countdown delay={state.delay} />
      {canTryAgain && <TryAgain onClick={() => actions.begin(state.subject.user, state.subject.session)} />}
    </div>
  );
}

/**
 * Keys typed while the answered form waits (the engine checks, a fail delay runs)
 * have nowhere to go: the person is told so, instead of losing them silently.
 */
function useTypingWhileWaiting(waiting: boolean, report: () => void): void {
  useEffect(() => {
    if (!waiting) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const printable = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
      if (!printable && event.key !== 'Enter' && event.key !== 'Backspace') return;
      const target = event.target;
      // A control that takes the key (a button for Enter, another field) is not waiting.
      if (target instanceof HTMLElement && target.closest('button, select, input:not(:disabled), textarea') !== null) return;
      report();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [waiting, report]);
}

function TryAgain({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  // The only thing to do now: take the keyboard there.
  useEffect(() => button.current?.focus(), []);
  return (
    <button ref={button} type="button" className="button button-primary" onClick={onClick}>
      {t('outcome.tryAgain')}
    </button>
  );
}
