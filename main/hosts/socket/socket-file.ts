// The engine daemon's listening socket: a Unix stream socket owned by the one
// user allowed to connect, mode 0600, so the file system keeps everyone else out
// before SO_PEERCRED is even asked (peer-check.ts).
//
// The socket is created with umask 0177, so it is never reachable by others, not
// even between bind() and the chmod; until the chown only root can connect, and
// the peer check refuses root too. A stale socket left by a dead daemon is
// replaced; a live one (another daemon answers) or anything that is not a
// socket is left alone and reported.
import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SocketOwner {
  uid: number;
  gid: number;
}

export class SocketPathError extends Error {
  override name = 'SocketPathError';
}

/** Listens on `path`, owned by `owner`, mode 0600. */
export async function listenOnSocketFile(
  path: string,
  owner: SocketOwner,
  onConnection: (socket: Socket) => void,
): Promise<Server> {
  await clearStaleSocket(path);
  const server = createServer({ allowHalfOpen: false, pauseOnConnect: false }, onConnection);
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  try {
    chownSync(path, owner.uid, owner.gid);
    chmodSync(path, 0o600);
  } catch (error) {
    server.close();
    throw new SocketPathError(`cannot give ${path} to uid ${owner.uid}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return server;
}

/** Removes the socket file at `path` if it is still the one this server made. */
export function removeSocketFile(path: string, made: { ino: number } | undefined): void {
  try {
    const stat = lstatSync(path);
    if (stat.isSocket() && (made === undefined || stat.ino === made.ino)) unlinkSync(path);
  } catch {
    // already gone
  }
}

async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new SocketPathError(`cannot use ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!isSocket) throw new SocketPathError(`${path} exists and is not a socket: refusing to replace it`);
  if (await somebodyListens(path)) throw new SocketPathError(`another process is listening on ${path}`);
  unlinkSync(path);
}

function somebodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
