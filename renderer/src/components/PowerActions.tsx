// login: the power actions the configuration allows; the engine carries them out.
// Nothing happens on one click: the action asks "Power off the computer now?"
// first, with Cancel focused (Escape cancels too).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { PowerAction } from '../protocol';

const LABELS = { poweroff: 'power.poweroff', reboot: 'power.reboot', suspend: 'power.suspend' } as const;
const QUESTIONS = { poweroff: 'power.confirm.poweroff', reboot: 'power.confirm.reboot', suspend: 'power.confirm.suspend' } as const;

export function PowerActions({ actions, disabled, onAction }: { actions: PowerAction[]; disabled: boolean; onAction(action: PowerAction): void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState<PowerAction | undefined>(undefined);
  const questionId = useId();
  const cancelButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<PowerAction | undefined>(undefined);
  const buttons = useRef(new Map<PowerAction, HTMLButtonElement>());

  useEffect(() => {
    if (asking !== undefined) {
      cancelButton.current?.focus();
    } else if (opener.current !== undefined) {
      // Back where the person was.
      buttons.current.get(opener.current)?.focus();
      opener.current = undefined;
    }
  }, [asking]);

  if (actions.length === 0) return null;
  if (asking !== undefined) {
    const close = () => setAsking(undefined);
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      close();
    };
    return (
      <div className="power power-confirm" role="alertdialog" aria-labelledby={questionId} onKeyDown={onKeyDown}>
        <p id={questionId} className="power-question">
          {t(QUESTIONS[asking])}
        </p>
        <button
          type="button"
          className="button button-danger"
          disabled={disabled}
          onClick={() => {
            setAsking(undefined);
            onAction(asking);
          }}
        >
          {t(LABELS[asking])}
        </button>
        <button ref={cancelButton} type="button" className="button" onClick={close}>
          {t('power.cancel')}
        </button>
      </div>
    );
  }
  return (
    <div className="power" role="group" aria-label={t('power.label')}>
      {actions.map((action) => (
        <button
          key={action}
          ref={(button) => {
            if (button === null) buttons.current.delete(action);
            else buttons.current.set(action, button);
          }}
          type="button"
          className="button button-quiet"
          disabled={disabled}
          onClick={() => {
            opener.current = action;
            setAsking(action);
          }}
        >
          <span className={`icon icon-${action}`} aria-hidden="true" />
          {t(LABELS[action])}
        </button>
      ))}
    </div>
  );
}
