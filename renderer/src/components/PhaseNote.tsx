// The password change as its own step: PAM's prompts follow, as the modules send them.
import { useI18n } from '../i18n/i18n-context';
import type { PhaseName } from '../protocol';

export function PhaseNote({ phase }: { phase: PhaseName | undefined }) {
  const { t } = useI18n();
  if (phase !== 'change-password') return null;
  return (
    <div className="phase-note">
      <h2 className="phase-title">{t('phase.changePassword.title')}</h2>
      <p className="phase-help">{t('phase.changePassword.help')}</p>
    </div>
  );
}
