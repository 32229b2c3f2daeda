// unlock: the locked session's user (full name and picture when the system has
// them) and a clock; no way to switch users.
import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useEscape } from '../hooks/useEscape';
import type { ModeScreenProps } from './mode-screen';
import { Avatar } from './Avatar';
import { Clock } from './Clock';
import { Done } from './Done';
import { FlowBody } from './FlowBody';
import { PhaseNote } from './PhaseNote';

export function UnlockHeader({ state, context }: ModeScreenProps) {
  const { t } = useI18n();
  if (state.flow === 'closed') return null;
  const user = context.user;
  const displayName = context.identity?.displayName;
  return (
    <>
      <Clock />
      <div className="identity">
        {user !== undefined && <Avatar name={displayName ?? user} picture={context.identity?.picture} />}
        <p className="eyebrow">{t('unlock.title')}</p>
        <h1 className="identity-name">{displayName ?? user ?? t('unlock.title')}</h1>
        {displayName !== undefined && user !== undefined && <p className="identity-login">{user}</p>}
      </div>
      <PhaseNote phase={state.phase} />
    </>
  );
}

export function UnlockBody({ state, actions }: ModeScreenProps) {
  const { t } = useI18n();
  // Escape empties the field first (PromptForm); on an empty field past the first
  // step (a code, a new password) it starts the attempt over.
  const flowLive = state.flow === 'starting' || state.flow === 'running';
  const startOver = useCallback(() => actions.cancel(), [actions]);
  useEscape(flowLive && state.answeredThisAttempt && !state.cancelling && state.batch !== undefined ? startOver : undefined);
  if (state.flow === 'closed') return <Done title={t('unlock.done')} tone="success" />;
  return <FlowBody state={state} actions={actions} submitLabel={t('unlock.submit')} escapeClears />;
}
