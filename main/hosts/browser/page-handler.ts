// Plain HTTP requests: the one-time entry URL (exchanged for the session cookie,
// entry.ts), the page (only with that cookie), the renderer's files, and clear
// errors for everything else. Every response carries the security headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntryGate } from './entry';
import { hostAllowed, requestUrl } from './request-checks';
import { securityHeaders } from './security-headers';
import { lookupStaticFile, pathSegments, readStaticFiles, type StaticFile } from './static-files';

export interface PageHandlerOptions {
  port: () => number;
  entry: () => EntryGate;
  rendererDir: string;
  /** Diagnostics (stderr); never given a URL with its query string. */
  log: (text: string) => void;
}

const PAGE_PATHS = new Set(['/', '/index.html']);
const ENTRY_PATH = '/enter';

export function pageHandler(options: PageHandlerOptions) {
  // The renderer's files, read into memory as the host starts (a missing or
  // unreadable directory leaves the disk lookups below to answer).
  const preloaded = readStaticFiles(options.rendererDir).catch(() => new Map<string, StaticFile>());
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const port = options.port();
    const plain = (status: number, text: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...securityHeaders(port, { noStore: true }),
        'Content-Type': 'text/plain; charset=utf-8',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };

    if (!hostAllowed(req, port)) return plain(403, 'Forbidden: wrong Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    const url = requestUrl(req);
    if (url === undefined) return plain(400, 'Bad Request');
    if (url.pathname === '/ws') return plain(426, 'Upgrade Required: this is the WebSocket endpoint', { Upgrade: 'websocket' });

    const entry = options.entry();
    if (url.pathname === ENTRY_PATH) {
      // Only a browser's GET spends the ticket (not a HEAD from a link checker).
      if (req.method !== 'GET') return plain(405, 'Method Not Allowed', { Allow: 'GET' });
      const result = entry.enter(url, req.headers.cookie);
      if (result === 'refused') {
        options.log('gatehouse serve: refused an entry request: the ticket is wrong, spent or expired');
        return plain(403, 'Forbidden: this entry link is wrong, has been used already or has expired; start gatehouse serve again for a new one');
      }
      if (result === 'entered') options.log('gatehouse serve: a browser entered (the entry ticket is spent)');
      // To the page, without the ticket in the address: the cookie is what lets it in now.
      res.writeHead(303, {
        ...securityHeaders(port, { noStore: true }),
        Location: '/',
        ...(result === 'entered' ? { 'Set-Cookie': entry.sessionCookie() } : {}),
        'Content-Type': 'text/plain; charset=utf-8',
      });
      res.end('See Other: /\n');
      return;
    }

    if (PAGE_PATHS.has(url.pathname)) {
      if (!entry.hasSession(req.headers.cookie)) {
        options.log('gatehouse serve: refused a page request without the session cookie');
        return plain(403, 'Forbidden: open the entry URL gatehouse serve printed; it works once, and this browser then stays in');
      }
      let html: Buffer;
      try {
        html = (await preloaded).get('index.html')?.body ?? (await readFile(join(options.rendererDir, 'index.html')));
      } catch {
        return plain(
          503,
          `Service Unavailable: the Gatehouse UI is not built (no ${join(options.rendererDir, 'index.html')}).\n` +
            'Run `npm run build` in the Gatehouse checkout, then reload this page.',
        );
      }
      return send(res, req, port, html, 'text/html; charset=utf-8', true);
    }

    const segments = pathSegments(url.pathname);
    const inMemory = Array.isArray(segments) ? (await preloaded).get(segments.join('/')) : undefined;
    if (inMemory !== undefined) return send(res, req, port, inMemory.body, inMemory.contentType, inMemory.contentType.startsWith('text/html'));
    const found = await lookupStaticFile(options.rendererDir, url.pathname);
    if (found.kind === 'bad-request') return plain(400, 'Bad Request: malformed path');
    if (found.kind === 'not-found') return plain(404, 'Not Found');
    let body: Buffer;
    try {
      body = await readFile(found.path);
    } catch {
      return plain(404, 'Not Found');
    }
    return send(res, req, port, body, found.contentType, found.contentType.startsWith('text/html'));
  };
}

function send(res: ServerResponse, req: IncomingMessage, port: number, body: Buffer, type: string, html: boolean): void {
  res.writeHead(200, {
    ...securityHeaders(port, { noStore: html }),
    'Content-Type': type,
    'Content-Length': String(body.length),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
