// The messages between the engine (main/auth) and any UI, in both directions.
//
// Every message carries `v`, the protocol version. Requests from a UI are
// untrusted: hosts parse them once with `parseRequest` (main/auth's receiveUntrusted)
// and the engine takes the typed value.
// Events to a UI are produced by the engine and typed; `parseEvent` exists for
// hosts and tests that receive them over a wire.
//
// The renderer imports only the types from here, never the schemas; the values
// it needs (the version, the closed sets) are in vocabulary.ts, which has no zod.
import { z } from 'zod';
import {
  DELAY_REASONS,
  MESSAGE_KINDS,
  MODES,
  PHASES,
  PICTURE_DATA_URL,
  POWER_ACTIONS,
  PROMPT_STYLES,
  PROTOCOL_VERSION,
} from './vocabulary';

export * from './vocabulary';

/** Longest answer PAM accepts (PAM_MAX_RESP_SIZE, in UTF-8 bytes). */
export const MAX_ANSWER_BYTES = 512;
/** Longest user name a UI may send. */
export const MAX_USER_BYTES = 256;

const version = z.literal(PROTOCOL_VERSION);
const id = z.string().min(1).max(64);
const noNul = (s: string) => !s.includes('\0');
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * An answer: text, or its UTF-8 bytes. Hosts that can (the WebSocket, the
 * Electron preload, the terminal) hand over bytes, which the engine zeroes once
 * PAM has them; a string cannot be wiped. Either way: no NUL, at most
 * MAX_ANSWER_BYTES bytes.
 */
const answerValue = z
  .custom<string | Uint8Array>((v) => typeof v === 'string' || v instanceof Uint8Array, 'must be a string or bytes')
  .superRefine((v, ctx) => {
    const bytes = typeof v === 'string' ? undefined : v;
    const hasNul = bytes === undefined ? (v as string).includes('\0') : bytes.includes(0);
    if (hasNul) ctx.addIssue({ code: 'custom', message: 'must not contain NUL' });
    const length = bytes === undefined ? utf8Bytes(v as string) : bytes.byteLength;
    if (length > MAX_ANSWER_BYTES) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_ANSWER_BYTES} bytes` });
  });

/**
 * A locale as a UI may name it for a flow: a language, maybe a territory, a
 * codeset and a modifier (`de`, `de-DE`, `de_DE.UTF-8`, `sr_RS@latin`). Nothing
 * that could name a path reaches libc.
 */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}(\.[A-Za-z0-9-]{1,16})?(@[A-Za-z0-9]{1,16})?$/;

/** Longest picture (data: URL) the engine sends for an account. */
export const MAX_PICTURE_URL_CHARS = 180_000;

// ---------------------------------------------------------------- UI -> engine

export const requestSchema = z.discriminatedUnion('type', [
  /** First message of a UI: the engine answers with `context`. */
  z.strictObject({ v: version, type: z.literal('hello') }),
  /** Start a flow. `user` only where the mode lets the UI choose (login). */
  z.strictObject({
    v: version,
    type: z.literal('begin'),
    user: z
      .string()
      .min(1)
      .refine(noNul, 'must not contain NUL')
      .refine((s) => utf8Bytes(s) <= MAX_USER_BYTES, `must be at most ${MAX_USER_BYTES} bytes`)
      .optional(),
    /** Login: the id of one of the configured sessions. */
    session: id.optional(),
    /**
     * The language the person chose on the screen: libpam and the modules speak
     * it during this flow, and a login session gets it as LANG.
     */
    locale: z.string().regex(LOCALE_PATTERN, 'must be a locale such as de or de_DE.UTF-8').optional(),
  }),
  /**
   * The answer to one pending prompt. For a radio prompt (Linux-PAM's yes/no
   * question) the value is the text of the choice: 'yes' or 'no' (or '' for none).
   */
  z.strictObject({ v: version, type: z.literal('answer'), id, value: answerValue }),
  /** Abandon the running flow (the transaction is aborted and ended). */
  z.strictObject({ v: version, type: z.literal('cancel') }),
  /** Login mode: a power action, when the configuration allows it. */
  z.strictObject({ v: version, type: z.literal('power'), action: z.enum(POWER_ACTIONS) }),
]);

export type Request = z.infer<typeof requestSchema>;
export type RequestType = Request['type'];

// ---------------------------------------------------------------- engine -> UI

/** An account's picture: a data: URL of a PNG, JPEG, GIF or WebP image the engine read and checked. */
const picture = z
  .string()
  .max(MAX_PICTURE_URL_CHARS)
  .regex(PICTURE_DATA_URL);
const userEntry = z.strictObject({ name: z.string(), displayName: z.string().optional(), picture: picture.optional() });
/** An XKB layout as the system names it (`de`, `us`, with a variant such as `nodeadkeys`). */
const keyboardLayout = z.strictObject({ layout: z.string().max(32), variant: z.string().max(64).optional() });
const sessionEntry = z.strictObject({ id, name: z.string() });

/**
 * elevate: what the person must see to decide. `action` is the request's own words
 * (polkit's message), `program` who asks. A polkit request adds the action's id,
 * its details (name / value pairs, in the order given) and a `request` id that
 * changes with every new request on the same connection.
 */
const elevateRequest = z.strictObject({
  action: z.string(),
  program: z.string(),
  actionId: z.string().optional(),
  details: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  request: id.optional(),
});

export const eventSchema = z.discriminatedUnion('type', [
  /** What the UI needs to draw the screen; sent in reply to `hello`. */
  z.strictObject({
    v: version,
    type: z.literal('context'),
    mode: z.enum(MODES),
    /** unlock: the locked session's user; elevate: the user who must confirm (if fixed). */
    user: z.string().optional(),
    /** How to show `user`: the full name and picture, when the system has them. */
    identity: z.strictObject({ displayName: z.string().optional(), picture: picture.optional() }).optional(),
    /** login: users to pick from (empty: type a name). */
    users: z.array(userEntry),
    /** login: sessions to choose from. */
    sessions: z.array(sessionEntry),
    /** login: power actions the UI may offer. */
    power: z.array(z.enum(POWER_ACTIONS)),
    /** elevate: what is being approved, and by which program. */
    elevate: elevateRequest.optional(),
    locale: z.string(),
    theme: z.string(),
    /** The system's keyboard layouts (XKB), first the active one: the on-screen keyboard follows them. */
    keyboardLayouts: z.array(keyboardLayout).max(8).optional(),
    /** A flow is running (the UI reconnected mid-flow): pending prompts follow. */
    running: z.boolean(),
  }),
  /**
   * A PAM prompt. The prompts of one PAM batch share `batch` and arrive together;
   * `index` / `count` place this one among them. Answer each with `answer {id}`.
   */
  z.strictObject({
    v: version,
    type: z.literal('prompt'),
    id,
    batch: id,
    index: z.number().int().nonnegative(),
    count: z.number().int().positive(),
    style: z.enum(PROMPT_STYLES),
    text: z.string(),
  }),
  /** An info or error message from a module; never the end of the conversation by itself. */
  z.strictObject({ v: version, type: z.literal('message'), kind: z.enum(MESSAGE_KINDS), text: z.string() }),
  z.strictObject({ v: version, type: z.literal('phase'), name: z.enum(PHASES) }),
  /** The engine is working (answers were taken; modules are running). */
  z.strictObject({ v: version, type: z.literal('busy') }),
  /** No new attempt before `until` (ms since the epoch). */
  z.strictObject({
    v: version,
    type: z.literal('delay'),
    until: z.number(),
    reason: z.enum(DELAY_REASONS),
  }),
  /**
   * The end of a flow. `code` is a PAM code name ('PAM_AUTH_ERR', ...) or one of
   * the engine's own (see OUTCOME_CODES); `reason` is readable English. `final`:
   * the engine takes no further attempt (an elevation's attempts are used up).
   */
  z.strictObject({
    v: version,
    type: z.literal('outcome'),
    ok: z.boolean(),
    code: z.string().optional(),
    reason: z.string(),
    final: z.boolean().optional(),
  }),
  /** A request was refused; nothing else changed. Never echoes a value. */
  z.strictObject({
    v: version,
    type: z.literal('refused'),
    request: z.string().optional(),
    message: z.string(),
  }),
]);

export type Event = z.infer<typeof eventSchema>;
export type EventType = Event['type'];
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;
/** What an elevation screen shows about the request (context.elevate). */
export type ElevateRequest = NonNullable<EventOf<'context'>['elevate']>;

/** Builds an event with the version filled in. */
export function event<T extends EventType>(body: Omit<EventOf<T>, 'v'> & { type: T }): EventOf<T> {
  return { v: PROTOCOL_VERSION, ...body } as EventOf<T>;
}

/** Builds a request with the version filled in (UIs and tests). */
export function request<T extends RequestType>(body: Omit<RequestOf<T>, 'v'> & { type: T }): RequestOf<T> {
  return { v: PROTOCOL_VERSION, ...body } as RequestOf<T>;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string; type?: string };

/** Why a request failed the parse: the problem, and its type when that is a request type. */
export interface RequestRefusal {
  /** One of the request types, never a type the sender made up. */
  type?: string;
  error: string;
}

const REQUEST_TYPES: ReadonlySet<string> = new Set(requestSchema.options.map((o) => o.shape.type.value));
/** Every field name a request may have: the only names a refusal may quote. */
const REQUEST_FIELDS: ReadonlySet<string> = new Set(requestSchema.options.flatMap((o) => Object.keys(o.shape)));

/**
 * Validates an untrusted request. The error names the fields and the problem,
 * never a value (an answer may be a password), nor anything else the sender
 * chose: a `type` that is no request type, or a field no request has, is not
 * quoted (either may be an answer sent in the wrong place).
 */
export function parseRequest(input: unknown): ParseResult<Request> {
  const result = requestSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const given = input !== null && typeof input === 'object' ? (input as { type?: unknown }).type : undefined;
  const type = typeof given === 'string' && REQUEST_TYPES.has(given) ? given : undefined;
  return { ok: false, error: describeIssues(result.error), ...(type === undefined ? {} : { type }) };
}

export function parseEvent(input: unknown): ParseResult<Event> {
  const result = eventSchema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: describeIssues(result.error) };
}

// zod's own messages can quote the input (e.g. "Invalid option: expected ..."):
// keep only paths and codes, which never carry a value.
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(knownName).join('.') : 'message';
      switch (issue.code) {
        case 'invalid_type':
          return `${path}: expected ${issue.expected}`;
        case 'unrecognized_keys': {
          const unknown = issue.keys.length === 1 ? 'an unexpected field' : `${issue.keys.length} unexpected fields`;
          return `${path}: ${unknown}`;
        }
        case 'invalid_union':
          return `${path}: not a known message`;
        case 'too_big':
          return `${path}: too long`;
        case 'too_small':
          return `${path}: too short`;
        case 'custom':
          return `${path}: ${issue.message}`;
        default:
          return `${path}: invalid (${issue.code})`;
      }
    })
    .join('; ');
}

/** A path element as a refusal may show it: request field names and indexes only. */
function knownName(part: PropertyKey): string {
  if (typeof part === 'number') return String(part);
  return typeof part === 'string' && REQUEST_FIELDS.has(part) ? part : '(field)';
}

/**
 * Zeroes the bytes of an answer request (anything else is left alone). Whoever
 * takes a request owns its byte answer: the engine zeroes it once PAM has it, or
 * when it refuses the request.
 */
export function wipeByteAnswer(request: unknown): void {
  const value = request !== null && typeof request === 'object' ? (request as { value?: unknown }).value : undefined;
  if (value instanceof Uint8Array) value.fill(0);
}
