// One BeginAuthentication call of polkitd, checked:
//
//   BeginAuthentication(action_id s, message s, icon_name s, details a{ss},
//                       cookie s, identities a(sa{sv}))
//
// The message and details come translated into the locale the agent registered
// with. `identities` are those polkitd allows to authenticate: the subject's user
// (auth_self) or the administrators (auth_admin), groups already expanded into
// users; only unix-user identities can authenticate through the helper.
import type { Variant } from 'dbus-next';

export interface AuthenticationRequest {
  actionId: string;
  message: string;
  iconName: string;
  /** Key / value pairs, in the order polkitd sent them. */
  details: [string, string][];
  /** The request's secret: handed to the helper, never shown or logged. */
  cookie: string;
  /** uids of the unix-user identities, in polkitd's order, without repeats. */
  uids: number[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export const BEGIN_SIGNATURE = 'sssa{ss}sa(sa{sv})';

const MAX_TEXT = 4096;
const MAX_DETAILS = 64;
const MAX_IDENTITIES = 256;

/** Checks the body of a BeginAuthentication call (dbus-next's decoding of BEGIN_SIGNATURE). */
export function parseBeginAuthentication(body: readonly unknown[]): Parsed<AuthenticationRequest> {
  const [actionId, message, iconName, details, cookie, identities] = body;
  if (typeof actionId !== 'string' || !/^[A-Za-z0-9._-]{1,255}$/.test(actionId)) return problem('action_id is not an action id');
  if (typeof message !== 'string') return problem('message is not a string');
  if (typeof iconName !== 'string') return problem('icon_name is not a string');
  const cookieProblem = checkCookie(cookie);
  if (cookieProblem !== undefined) return problem(cookieProblem);
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return problem('details is not a dictionary');
  const pairs = Object.entries(details as Record<string, unknown>);
  if (pairs.length > MAX_DETAILS) return problem(`details has more than ${MAX_DETAILS} entries`);
  if (pairs.some(([, value]) => typeof value !== 'string')) return problem('details holds a value that is not a string');
  if (!Array.isArray(identities)) return problem('identities is not an array');
  if (identities.length > MAX_IDENTITIES) return problem(`more than ${MAX_IDENTITIES} identities`);
  const uids: number[] = [];
  for (const identity of identities) {
    const uid = unixUserOf(identity);
    if (uid !== undefined && !uids.includes(uid)) uids.push(uid);
  }
  return {
    ok: true,
    value: {
      actionId,
      message: clip(message),
      iconName: clip(iconName),
      details: pairs.map(([key, value]) => [clip(key), clip(value as string)]),
      cookie: cookie as string,
      uids,
    },
  };
}

/** A cookie is written to the helper as one line: no line break, no NUL, not empty, not huge. */
export function checkCookie(cookie: unknown): string | undefined {
  if (typeof cookie !== 'string' || cookie === '') return 'cookie is not a non-empty string';
  if (cookie.length > 512) return 'cookie is too long';
  if (/[\n\r\0]/.test(cookie)) return 'cookie holds a line break or a NUL byte';
  return undefined;
}

/** ("unix-user", {uid: u}) → the uid; any other identity (groups are expanded by polkitd) → undefined. */
function unixUserOf(identity: unknown): number | undefined {
  if (!Array.isArray(identity) || identity[0] !== 'unix-user') return undefined;
  const details = identity[1] as Record<string, Variant> | undefined;
  const uid = details?.uid?.value;
  return typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 && uid <= 0xffffffff ? uid : undefined;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function problem(text: string): Parsed<never> {
  return { ok: false, problem: text };
}
