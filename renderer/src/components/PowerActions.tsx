// login: the power actions the configuration allows; the engine carries them out.
import { useI18n } from '../i18n/i18n-context';
import type { PowerAction } from '../protocol';

const LABELS = { poweroff: 'power.poweroff', reboot: 'power.reboot', suspend: 'power.suspend' } as const;

export function PowerActions({ actions, disabled, onAction }: { actions: PowerAction[]; disabled: boolean; onAction(action: PowerAction): void }) {
  const { t } = useI18n();
  if (actions.length === 0) return null;
  return (
    <div className="power" role="group" aria-label={t('power.label')}>
      {actions.map((action) => (
        <button key={action} type="button" className="button button-quiet" disabled={disabled} onClick={() => onAction(action)}>
          <span className={`icon icon-${action}`} aria-hidden="true" />
          {t(LABELS[action])}
        </button>
      ))}
    </div>
  );
}
