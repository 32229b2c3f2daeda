// elevate: what is being approved and by which program (with a polkit request's
// action id and details), who confirms, and a way to decline. When several
// accounts may confirm (administrators, polkit's identities), the user first
// picks which one.
import { Fragment, useCallback } from 'react';
import { CANCELLED, HANDED_OVER, type ElevateRequest } from '../protocol';
import { useI18n } from '../i18n/i18n-context';
import { useEscape } from '../hooks/useEscape';
import type { ModeScreenProps } from './mode-screen';
import { displayText } from './display-text';
import { Done } from './Done';
import { FlowBody } from './FlowBody';
import { PhaseNote } from './PhaseNote';
import { ConfirmingUser } from './ConfirmingUser';
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
          <RequestDetails request={request} />
        </div>
      )}
      {user !== undefined && <ConfirmingUser user={user} identity={context.user === user ? context.identity : undefined} />}
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
    const outcome = state.outcome;
    // askpass: only the program that asked knows whether the answer was right.
    if (outcome?.ok === true && outcome.code === HANDED_OVER) {
      return <Done title={t('elevate.handedOver', { program: displayText(context.elevate?.program ?? '') })} tone="neutral" />;
    }
    if (outcome?.ok === true) return <Done title={t('elevate.approved')} tone="success" />;
    if (outcome?.final === true && outcome.code !== CANCELLED) return <Done title={t('elevate.notAuthorized')} tone="neutral" />;
    return <Done title={t('elevate.declined')} tone="neutral" />;
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

/** A polkit request's action id and details, as name / value pairs. */
function RequestDetails({ request }: { request: ElevateRequest }) {
  const { t } = useI18n();
  const details = request.details ?? [];
  if (request.actionId === undefined && details.length === 0) return null;
  return (
    <dl className="elevate-details" aria-label={t('elevate.details')}>
      {request.actionId !== undefined && (
        <>
          <dt>{t('elevate.actionId')}</dt>
          <dd>{displayText(request.actionId)}</dd>
        </>
      )}
      {details.map((detail, index) => (
        <Fragment key={index}>
          <dt>{displayText(detail.name)}</dt>
          <dd>{displayText(detail.value)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
