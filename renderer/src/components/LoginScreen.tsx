// login (the greeter): choose who signs in, then the conversation for that user.
// After a session ends, or when the user goes back, the user list comes again.
import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useEscape } from '../hooks/useEscape';
import { useRemaining } from '../hooks/useRemaining';
import type { ModeScreenProps } from './mode-screen';
import { Avatar } from './Avatar';
import { Clock } from './Clock';
import { FlowBody } from './FlowBody';
import { IdentifyForm } from './IdentifyForm';
import { PhaseNote } from './PhaseNote';

const pictureOf = (context: ModeScreenProps['context'], user: string) => context.users.find((u) => u.name === user)?.picture;

export function LoginHeader({ state, context }: ModeScreenProps) {
  const { t } = useI18n();
  const user = state.subject.user;
  const heading =
    state.flow === 'idle'
      ? t('login.title')
      : state.phase === 'session'
        ? t('login.sessionRunning')
        : user !== undefined
          ? t('login.signingInAs', { user })
          : t('login.title');
  return (
    <>
      <Clock />
      <div className="identity">
        {state.flow !== 'idle' && user !== undefined && <Avatar name={user} picture={pictureOf(context, user)} />}
        <h1 className={state.flow === 'idle' ? 'title' : 'identity-name'}>{heading}</h1>
      </div>
      <PhaseNote phase={state.phase} />
    </>
  );
}

export function LoginBody({ state, actions, context }: ModeScreenProps) {
  const { t } = useI18n();
  const delayed = useRemaining(state.delay?.until) > 0;
  const flowLive = state.flow === 'starting' || state.flow === 'running';
  // Going back cancels a running flow (the engine answers CANCELLED and the
  // reducer returns to the list); between attempts there is nothing to cancel.
  const back = useCallback(() => (flowLive ? actions.cancel() : actions.back()), [flowLive, actions]);
  const inSession = state.phase === 'session';
  useEscape(state.flow === 'idle' || inSession || state.cancelling ? undefined : back);

  if (state.flow === 'idle') {
    return (
      <IdentifyForm
        context={context}
        session={state.lastSession}
        disabled={delayed || state.connection !== 'open'}
        onBegin={actions.begin}
      />
    );
  }
  return (
    <>
      <FlowBody state={state} actions={actions} submitLabel={t('login.submit')} escapeClears />
      {!inSession && (
        <div className="actions">
          <button type="button" className="button" onClick={back} disabled={state.cancelling || state.connection !== 'open'}>
            {t('login.back')}
          </button>
        </div>
      )}
    </>
  );
}
