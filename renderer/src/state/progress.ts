// What the UI is waiting for, as a catalog key for the status region, or nothing.
import type { MessageKey } from '../i18n/catalogs/en';
import type { ScreenState } from './screen-state';

export function progressKey(state: ScreenState): MessageKey | undefined {
  if (state.connection === 'connecting') return 'connection.connecting';
  if (state.connection === 'lost') return 'connection.lost';
  if (state.cancelling) return 'prompt.cancelling';
  if (state.batch !== undefined) return undefined;
  if (state.flow === 'starting') return 'prompt.starting';
  // login: the session runs; the heading says so.
  if (state.phase === 'session') return undefined;
  if (state.awaitingEngine) return 'prompt.checking';
  // A module is at work with nothing to ask (a fingerprint reader, a security key).
  if (state.flow === 'running') return 'prompt.waiting';
  return undefined;
}
