// unlock: the locked session's user and a clock; no way to switch users.
import { useI18n } from '../i18n/i18n-context';
import type { ModeScreenProps } from './mode-screen';
import { Avatar } from './Avatar';
import { Clock } from './Clock';
import { Done } from './Done';
import { FlowBody } from './FlowBody';
import { PhaseNote } from './PhaseNote';

export function UnlockHeader({ state }: ModeScreenProps) {
  const { t } = useI18n();
  if (state.flow === 'closed') return null;
  const user = state.context?.user;
  return (
    <>
      <Clock />
      <div className="identity">
        {user !== undefined && <Avatar name={user} />}
        <p className="eyebrow">{t('unlock.title')}</p>
        <h1 className="identity-name">{user ?? t('unlock.title')}</h1>
      </div>
      <PhaseNote phase={state.phase} />
    </>
  );
}

export function UnlockBody({ state, actions }: ModeScreenProps) {
  const { t } = useI18n();
  if (state.flow === 'closed') return <Done title={t('unlock.done')} tone="success" />;
  return <FlowBody state={state} actions={actions} submitLabel={t('unlock.submit')} />;
}
