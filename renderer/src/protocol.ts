// The renderer's view of the protocol: types only from main/protocol (the schemas
// and zod stay out of the page's JavaScript), plus request builders.
import type {
  ElevateRequest,
  Event,
  EventOf,
  Mode,
  PhaseName,
  PowerAction,
  PROTOCOL_VERSION as ProtocolVersionConstant,
  Request,
  RequestOf,
} from '../../main/protocol/messages';
import type { GatehouseBridge } from '../../main/protocol/bridge';

export type { ElevateRequest, Event, EventOf, GatehouseBridge, Mode, PhaseName, PowerAction, Request };

/** Must equal main/protocol's PROTOCOL_VERSION: the type annotation makes tsc check it. */
export const PROTOCOL_VERSION: typeof ProtocolVersionConstant = 1;

export type ContextEvent = EventOf<'context'>;
export type PromptEvent = EventOf<'prompt'>;
export type PromptStyle = PromptEvent['style'];
export type OutcomeEvent = EventOf<'outcome'>;

/** The engine's own outcome codes (main/protocol OUTCOME_CODES), for the ones the UI treats specially. */
export const CANCELLED = 'CANCELLED';
/** askpass: the answer went to the program that asked, which checks it itself. */
export const HANDED_OVER = 'HANDED_OVER';

export const requests = {
  hello: (): RequestOf<'hello'> => ({ v: PROTOCOL_VERSION, type: 'hello' }),
  begin: (user?: string, session?: string, locale?: string): RequestOf<'begin'> => ({
    v: PROTOCOL_VERSION,
    type: 'begin',
    ...(user === undefined ? {} : { user }),
    ...(session === undefined ? {} : { session }),
    ...(locale === undefined ? {} : { locale }),
  }),
  answer: (id: string, value: string): RequestOf<'answer'> => ({ v: PROTOCOL_VERSION, type: 'answer', id, value }),
  cancel: (): RequestOf<'cancel'> => ({ v: PROTOCOL_VERSION, type: 'cancel' }),
  power: (action: PowerAction): RequestOf<'power'> => ({ v: PROTOCOL_VERSION, type: 'power', action }),
};
