// When the UI begins a flow by itself, decided from the screen state and the clock
// (pure, so it is tested with the reducer; hooks/useAutoBegin.ts carries it out).
import type { ScreenState } from './screen-state';

export interface AutoBegin {
  /** When to send it (ms since the epoch): never before a delay the engine announced. */
  at: number;
  user?: string;
  session?: string;
}

export function nextAutoBegin(state: ScreenState, now: number): AutoBegin | undefined {
  if (state.connection !== 'open' || state.context === undefined) return undefined;
  const at = Math.max(now, state.delay?.until ?? 0);
  switch (state.flow) {
    case 'idle': {
      // Login waits for the user to pick a name; unlock needs no choice.
      if (state.context.mode === 'login') return undefined;
      if (state.context.mode === 'unlock') return { at };
      // elevate: the confirming user is fixed, or one of the administrators the
      // engine offers (it picks its configured user when it offers none).
      const admins = state.context.users;
      if (state.context.user !== undefined || admins.length === 0) return { at };
      return admins.length === 1 ? { at, user: admins[0]!.name } : undefined;
    }
    case 'ended':
      if (state.restart !== 'auto') return undefined;
      return { at, ...definedOnly(state.subject) };
    default:
      return undefined;
  }
}

function definedOnly(subject: ScreenState['subject']): { user?: string; session?: string } {
  return {
    ...(subject.user === undefined ? {} : { user: subject.user }),
    ...(subject.session === undefined ? {} : { session: subject.session }),
  };
}
