// elevate: who confirms, with their picture and full name when the system has them
// ("Confirm as Alice Liddell (alice)").
import { useI18n } from '../i18n/i18n-context';
import type { ScreenContext } from '../state/screen-state';
import { Avatar } from './Avatar';

export function ConfirmingUser({ user, identity }: { user: string; identity: ScreenContext['identity'] }) {
  const { t } = useI18n();
  const displayName = identity?.displayName;
  const shown = displayName === undefined || displayName === user ? user : `${displayName} (${user})`;
  return (
    <div className="elevate-user">
      <Avatar name={displayName ?? user} picture={identity?.picture} />
      <p className="elevate-user-text">{t('elevate.asUser', { user: shown })}</p>
    </div>
  );
}
