// Checks the shape of one event frame before the UI uses it. The page does not
// carry the protocol's zod schemas (they would triple its JavaScript); this is the
// small subset of those checks the UI relies on: everything it renders is a string,
// every number is a number, every closed set is the protocol's own (its
// vocabulary, main/protocol/vocabulary.ts, the same values the schemas are built
// from). Anything else is dropped. decode-event.test.ts holds the shapes against
// the schema: every event type, every field, every value of every set.
import {
  DELAY_REASONS,
  MESSAGE_KINDS,
  MODES,
  PHASES,
  PICTURE_DATA_URL,
  POWER_ACTIONS,
  PROMPT_STYLES,
} from '../../../main/protocol/vocabulary';
import { PROTOCOL_VERSION, type Event } from '../protocol';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string?' | 'object?' | 'boolean?' | readonly string[];
type Shape = Record<string, Kind>;

/** What each event's fields must be; exported for the test that holds it against the schema. */
export const EVENT_SHAPES: Readonly<Record<Event['type'], Shape>> = {
  context: {
    mode: MODES,
    user: 'string?',
    identity: 'object?',
    users: 'object',
    sessions: 'object',
    power: 'object',
    elevate: 'object?',
    locale: 'string',
    theme: 'string',
    keyboardLayouts: 'object?',
    running: 'boolean',
  },
  prompt: { id: 'string', batch: 'string', index: 'number', count: 'number', style: PROMPT_STYLES, text: 'string' },
  message: { kind: MESSAGE_KINDS, text: 'string' },
  phase: { name: PHASES },
  busy: {},
  delay: { until: 'number', reason: DELAY_REASONS },
  outcome: { ok: 'boolean', code: 'string?', reason: 'string', final: 'boolean?' },
  refused: { request: 'string?', message: 'string' },
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fits(value: unknown, kind: Kind): boolean {
  if (typeof kind !== 'string') return typeof value === 'string' && kind.includes(value);
  const optional = kind.endsWith('?');
  if (value === undefined) return optional;
  const base = optional ? kind.slice(0, -1) : kind;
  return base === 'object' ? typeof value === 'object' && value !== null : typeof value === base;
}

/** A picture is only ever an image the engine read, as a data: URL; never a URL the page would fetch. */
const pictureFits = (value: unknown): boolean => value === undefined || (typeof value === 'string' && PICTURE_DATA_URL.test(value));

function personFits(value: unknown): boolean {
  return isRecord(value) && fits(value.displayName, 'string?') && pictureFits(value.picture);
}

function contextListsFit(event: Record<string, unknown>): boolean {
  const users = event.users;
  const sessions = event.sessions;
  const elevate = event.elevate;
  const layouts = event.keyboardLayouts;
  return (
    (event.identity === undefined || personFits(event.identity)) &&
    (layouts === undefined ||
      (Array.isArray(layouts) && layouts.every((l) => isRecord(l) && typeof l.layout === 'string' && fits(l.variant, 'string?')))) &&
    Array.isArray(users) &&
    users.every((u) => personFits(u) && typeof (u as Record<string, unknown>).name === 'string') &&
    Array.isArray(sessions) &&
    sessions.every((s) => isRecord(s) && typeof s.id === 'string' && typeof s.name === 'string') &&
    Array.isArray(event.power) &&
    event.power.every((p) => fits(p, POWER_ACTIONS)) &&
    (elevate === undefined || elevateFits(elevate))
  );
}

/** context.elevate: the request's words, and (polkit) its action id, details and request id. */
function elevateFits(elevate: unknown): boolean {
  if (!isRecord(elevate)) return false;
  const details = elevate.details;
  return (
    typeof elevate.action === 'string' &&
    typeof elevate.program === 'string' &&
    fits(elevate.actionId, 'string?') &&
    fits(elevate.request, 'string?') &&
    (details === undefined ||
      (Array.isArray(details) && details.every((d) => isRecord(d) && typeof d.name === 'string' && typeof d.value === 'string')))
  );
}

/** The event in `data` (a parsed JSON frame), or undefined when it is not one this UI understands. */
export function decodeEvent(data: unknown): Event | undefined {
  if (!isRecord(data) || data.v !== PROTOCOL_VERSION || typeof data.type !== 'string') return undefined;
  if (!Object.hasOwn(EVENT_SHAPES, data.type)) return undefined;
  const shape = EVENT_SHAPES[data.type as Event['type']];
  for (const [field, kind] of Object.entries(shape)) {
    if (!fits(data[field], kind)) return undefined;
  }
  if (data.type === 'context' && !contextListsFit(data)) return undefined;
  return data as Event;
}
