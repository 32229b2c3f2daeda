// elevate: what is being approved and by which program, who confirms, and a way
// to decline. When administrators confirm (the engine runs as root) and there are
// several, the user first picks which one.
import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useEscape } from '../hooks/useEscape';
import type { ModeScreenProps } from './mode-screen';
import { displayText } from './display-text';
import { Done } from './Done';
import { FlowBody } from './FlowBody';
import { PhaseNote } from './PhaseNote';
import { UserList } from './UserList';

export function ElevateHeader({ state, context }: ModeScreenProps) {
  const { t } = useI18n();
  if (state.flow === 'closed') return null;
  const request = context.elevate;
  const user = context.user ?? state.subject.user;
  return (
    <>
      <h1 className="title">{t('elevate.title')}</h1>
      {request !== undefined && (
        <div className="elevate-request">
          <p className="elevate-program">{t('elevate.program', { program: displayText(request.program) })}</p>
          <p className="elevate-action">{displayText(request.action)}</p>
        </div>
      )}
      {user !== undefined && <p className="elevate-user">{t('elevate.asUser', { user })}</p>}
      <PhaseNote phase={state.phase} />
    </>
  );
}

export function ElevateBody({ state, actions, context }: ModeScreenProps) {
  const { t } = useI18n();
  const closed = state.flow === 'closed';
  const flowLive = state.flow === 'starting' || state.flow === 'running';
  // A running flow is cancelled (the engine reports CANCELLED to the caller);
  // between attempts there is nothing to cancel.
  const cancel = useCallback(() => (flowLive ? actions.cancel() : actions.decline()), [flowLive, actions]);
  useEscape(closed || state.cancelling ? undefined : cancel);

  if (closed) {
    return state.outcome?.ok === true ? (
      <Done title={t('elevate.approved')} tone="success" />
    ) : (
      <Done title={t('elevate.declined')} tone="neutral" />
    );
  }
  const choosing = state.flow === 'idle' && context.user === undefined && context.users.length > 1;
  return (
    <>
      {choosing ? (
        <UserList
          legend={t('elevate.chooseAdmin')}
          users={context.users}
          disabled={state.connection !== 'open'}
          focusFirst
          onChoose={(user) => actions.begin(user)}
        />
      ) : (
        <FlowBody state={state} actions={actions} submitLabel={t('elevate.submit')} />
      )}
      <div className="actions">
        <button type="button" className="button" onClick={cancel} disabled={state.cancelling || state.connection !== 'open'}>
          {t('elevate.cancel')}
        </button>
      </div>
    </>
  );
}
