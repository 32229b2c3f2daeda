// Which account an attempt counts against: the canonical account, not the string
// typed. NSS resolves the name to its uid (so `Alice` and `alice` count together
// wherever NSS says they are one account); a name NSS does not know is counted
// under a keyed hash of it, so that unknown names lock exactly like real ones (no
// way to tell which names exist) and a password typed into the name field is
// never written down.
import { createHmac } from 'node:crypto';

/** The uid NSS gives `name`, or undefined when it knows no such user. */
export type UidOf = (name: string) => Promise<number | undefined>;

export async function lockoutKey(name: string, uidOf: UidOf, hashKey: Buffer): Promise<string> {
  const uid = await uidOf(name);
  if (uid !== undefined) return `uid:${uid}`;
  return `name:${createHmac('sha256', hashKey).update(name, 'utf8').digest('base64url')}`;
}
