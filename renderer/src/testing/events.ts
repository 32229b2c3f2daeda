// Builders for protocol events and a fold over the reducer, for the unit tests.
import type { Event, EventOf, PromptStyle } from '../protocol';
import type { Action } from '../state/actions';
import { reduce } from '../state/reducer';
import { initialScreenState, type ScreenState } from '../state/screen-state';

const v = 1 as const;

export const ev = {
  context: (fields: Partial<Omit<EventOf<'context'>, 'v' | 'type'>> = {}): EventOf<'context'> => ({
    v,
    type: 'context',
    mode: 'unlock',
    user: 'alice',
    users: [],
    sessions: [],
    power: [],
    locale: 'en_US.UTF-8',
    theme: 'dark',
    running: false,
    ...fields,
  }),
  prompt: (batch: string, index: number, count: number, text: string, style: PromptStyle = 'echo-off'): EventOf<'prompt'> => ({
    v,
    type: 'prompt',
    id: `${batch}.${index}`,
    batch,
    index,
    count,
    style,
    text,
  }),
  info: (text: string): EventOf<'message'> => ({ v, type: 'message', kind: 'info', text }),
  error: (text: string): EventOf<'message'> => ({ v, type: 'message', kind: 'error', text }),
  phase: (name: EventOf<'phase'>['name']): EventOf<'phase'> => ({ v, type: 'phase', name }),
  busy: (): EventOf<'busy'> => ({ v, type: 'busy' }),
  delay: (until: number, reason: EventOf<'delay'>['reason'] = 'fail-delay'): EventOf<'delay'> => ({ v, type: 'delay', until, reason }),
  outcome: (ok: boolean, code: string, reason: string): EventOf<'outcome'> => ({ v, type: 'outcome', ok, code, reason }),
  refused: (message: string, request?: string): EventOf<'refused'> => ({
    v,
    type: 'refused',
    message,
    ...(request === undefined ? {} : { request }),
  }),
} satisfies Record<string, (...args: never[]) => Event>;

/** The state after `actions`, from `from` (default: a fresh page whose link is open). */
export function play(actions: Action[], from: ScreenState = { ...initialScreenState, connection: 'open' }): ScreenState {
  return actions.reduce(reduce, from);
}
