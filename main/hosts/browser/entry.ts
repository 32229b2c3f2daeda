// How a browser gets in: serve prints a one-time entry URL
// (http://127.0.0.1:PORT/enter?ticket=T) on its stdout, for its launcher alone.
// The first request for it exchanges the ticket for a session cookie (HttpOnly,
// SameSite=Strict, path /) and is redirected to `/`, so the address bar and what
// the page sees hold no secret. The ticket then is spent: a URL seen later (in a
// browser's history, a terminal's scrollback, the command line of the
// xdg-open that opened it) opens nothing. The cookie is what the page and the
// WebSocket handshake need from then on; no script can read it.
//
// Cookies are per host, not per port: the name carries the port, so that two
// serve processes do not overwrite each other's, and the peer check (peer-uid.ts)
// makes a cookie that reached another local server useless to its owner.
import { createToken, tokenMatches } from './token';

/** How long an unused entry ticket stays valid. */
export const TICKET_LIFETIME_MS = 10 * 60_000;

export type EntryResult = 'entered' | 'already-in' | 'refused';

export class EntryGate {
  readonly cookieName: string;
  readonly #ticket = createToken();
  readonly #session = createToken();
  readonly #expiresAt: number;
  #spent = false;
  readonly #now: () => number;

  constructor(port: number, now: () => number = Date.now) {
    this.cookieName = `gatehouse-${port}`;
    this.#now = now;
    this.#expiresAt = now() + TICKET_LIFETIME_MS;
  }

  /** The path of the one-time entry URL. */
  get entryPath(): string {
    return `/enter?ticket=${this.#ticket}`;
  }

  /**
   * The entry request: spends a valid ticket ('entered': set the cookie). A
   * browser that already holds the cookie is let in again ('already-in':
   * a prefetch may have spent the ticket first).
   */
  enter(url: URL, cookieHeader: string | undefined): EntryResult {
    const given = url.searchParams.getAll('ticket');
    const valid = given.length === 1 && !this.#spent && this.#now() < this.#expiresAt && tokenMatches(this.#ticket, given[0]);
    if (valid) {
      this.#spent = true;
      return 'entered';
    }
    return this.hasSession(cookieHeader) ? 'already-in' : 'refused';
  }

  /** The Set-Cookie header value that opens the session. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.#session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request's Cookie header holds this serve's session, exactly once. */
  hasSession(cookieHeader: string | undefined): boolean {
    if (cookieHeader === undefined) return false;
    const values = cookieHeader
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part.startsWith(`${this.cookieName}=`))
      .map((part) => part.slice(this.cookieName.length + 1));
    return values.length === 1 && tokenMatches(this.#session, values[0]);
  }
}
