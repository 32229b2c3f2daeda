// Who a flow is for: fixed by the mode (unlock's session owner, elevate's
// requesting user), chosen in the UI (login, elevate's administrators), or left
// to PAM's own prompt (login without a name).
import type { RequestOf } from '../protocol';
import type { EngineOptions } from './api';
import type { FlowRequest } from './flows';

/**
 * unlock: the session owner; elevate: the requesting user, unless administrators
 * confirm, or the one identity the caller allows.
 */
export function fixedUserOf(options: EngineOptions, runningAsRoot: boolean, processUser: string): string | undefined {
  switch (options.mode) {
    case 'login':
      return undefined;
    case 'unlock':
      return options.user ?? processUser;
    case 'elevate': {
      const confirmers = options.elevate?.confirmers;
      if (confirmers !== undefined) return confirmers.length === 1 ? confirmers[0] : undefined;
      if (runningAsRoot && options.elevate?.adminGroup !== undefined) return undefined;
      return options.user ?? processUser;
    }
  }
}

export type BeginTarget = { ok: true; request: FlowRequest } | { ok: false; refusal: string };

/** What a `begin` asks for, checked against the mode; or why it is refused. */
export function resolveBegin(
  options: EngineOptions,
  fixedUser: string | undefined,
  request: RequestOf<'begin'>,
): BeginTarget {
  if (options.mode === 'login') {
    const sessions = options.login?.sessions ?? [];
    const session = request.session === undefined ? sessions[0] : sessions.find((s) => s.id === request.session);
    if (session === undefined) {
      return { ok: false, refusal: request.session === undefined ? 'no session is configured' : 'no such session' };
    }
    return { ok: true, request: { session, ...(request.user === undefined ? {} : { user: request.user }) } };
  }
  if (request.session !== undefined) return { ok: false, refusal: 'a session is chosen only at login' };
  if (fixedUser !== undefined) {
    if (request.user !== undefined && request.user !== fixedUser) {
      return { ok: false, refusal: 'the user cannot be chosen here' };
    }
    return { ok: true, request: { user: fixedUser } };
  }
  // elevate as root with an admin group, or with several allowed identities: the UI names who confirms.
  const user = request.user ?? options.user;
  if (user === undefined) return { ok: false, refusal: 'choose who confirms (begin.user)' };
  return { ok: true, request: { user } };
}
