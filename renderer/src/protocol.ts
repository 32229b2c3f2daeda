// The renderer's view of the protocol: types from main/protocol's messages, values
// only from its vocabulary (no zod: the schemas stay out of the page's
// JavaScript), plus request builders.
import { OUTCOME_CODES, PROTOCOL_VERSION } from '../../main/protocol/vocabulary';
import type {
  ElevateRequest,
  Event,
  EventOf,
  Mode,
  PhaseName,
  PowerAction,
  Request,
  RequestOf,
} from '../../main/protocol/messages';
import type { GatehouseBridge } from '../../main/protocol/bridge';

export type { ElevateRequest, Event, EventOf, GatehouseBridge, Mode, PhaseName, PowerAction, Request };

export { PROTOCOL_VERSION };

export type ContextEvent = EventOf<'context'>;
export type PromptEvent = EventOf<'prompt'>;
export type PromptStyle = PromptEvent['style'];
export type OutcomeEvent = EventOf<'outcome'>;

/** The engine's own outcome codes the UI treats specially. */
export const CANCELLED = OUTCOME_CODES.cancelled;
/** askpass: the answer went to the program that asked, which checks it itself. */
export const HANDED_OVER = OUTCOME_CODES.handedOver;

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
