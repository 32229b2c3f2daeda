// The browser host listens on 127.0.0.1 and nowhere else: the engine behind it can
// log users in, so it must never be reachable from another machine. A host name
// (even "localhost") is refused too, since a name can resolve to anything.
export const LOOPBACK_HOST = '127.0.0.1';

export class NonLoopbackError extends Error {
  override name = 'NonLoopbackError';
}

export function assertLoopback(host: string): void {
  if (host !== LOOPBACK_HOST) {
    throw new NonLoopbackError(
      `gatehouse serve listens on ${LOOPBACK_HOST} only (got '${host.slice(0, 64)}'): the engine must not be reachable from the network`,
    );
  }
}

/** The one origin the page has: http://127.0.0.1:PORT. */
export function loopbackOrigin(port: number): string {
  return `http://${LOOPBACK_HOST}:${port}`;
}
