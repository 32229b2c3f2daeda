// Checks every request must pass before anything else looks at it.
//
// Host: a DNS-rebinding attack makes a browser send requests for attacker.example
// to 127.0.0.1; the Host header still names attacker.example. Only
// `127.0.0.1:PORT` is accepted.
// Origin: browsers send it on every WebSocket handshake; a page from any other
// origin (a site open in another tab) is refused, even if it somehow knew the token.
import type { IncomingMessage } from 'node:http';
import { LOOPBACK_HOST, loopbackOrigin } from './loopback';

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return req.headers.host === `${LOOPBACK_HOST}:${port}`;
}

/** WebSocket handshakes must come from the page's own origin. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  return req.headers.origin === loopbackOrigin(port);
}

/** The request target as a URL; undefined when it is not a path (absolute-form, '*', garbage). */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, `http://${LOOPBACK_HOST}`);
  } catch {
    return undefined;
  }
}
