// The serve process's secret: a random token in the page URL and the WebSocket
// URL. Only a page opened with the printed URL can talk to the engine.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time (the token's length is public, its bytes are not). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
