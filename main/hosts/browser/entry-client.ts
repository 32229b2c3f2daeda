// For programs that launch `gatehouse serve` and talk to it without a browser
// (benchmarks, tests, other hosts' test rigs): spends the one-time entry URL
// from the listening line and returns the session cookie, to send as the
// `Cookie` header of the WebSocket handshake (with `Origin: <origin>`).
import { request } from 'node:http';

export interface ServeSession {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** `name=value`, the Cookie header for the page and the WebSocket. */
  cookie: string;
}

export function enterServe(entryUrl: string): Promise<ServeSession> {
  const url = new URL(entryUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'GET' }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      if (res.statusCode !== 303 || cookie === undefined) {
        reject(new Error(`gatehouse serve refused the entry URL (HTTP ${res.statusCode ?? '?'})`));
        return;
      }
      resolve({ origin: url.origin, cookie });
    });
    req.on('error', reject);
    req.end();
  });
}
