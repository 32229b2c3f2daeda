// The serve process's secrets (entry.ts): the one-time entry ticket and the
// session cookie's value, random tokens compared in constant time.
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
