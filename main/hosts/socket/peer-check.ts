// Who is at the other end of a Unix socket, and whether the daemon admits them.
//
// The daemon admits exactly the client user (the greeter's), checked on every
// connection with SO_PEERCRED: the credentials the kernel recorded when the
// peer connected, which the peer cannot forge. (A lookup by pid in /proc, or
// `ss -xp`, would race with the peer exiting and its pid being reused, and would
// say who holds the socket now rather than who connected.) Root is refused too:
// nothing root runs has business in the greeter's conversation, and `gatehouse
// check` runs a flow in-process for root. The client asks the same of the
// daemon's end (remote-engine.ts): it only talks to root.
import type { Socket } from 'node:net';
import { peerCredentials, type PeerCredentials } from '../../../native';

export type PeerVerdict =
  | { admitted: true; peer: PeerCredentials }
  | { admitted: false; peer?: PeerCredentials; problem: string };

/** SO_PEERCRED of a connected socket (libuv's pipe handle keeps its descriptor as `fd`); throws when it cannot tell. */
export function socketPeer(socket: Socket): PeerCredentials {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) {
    throw Object.assign(new Error('the connection has no file descriptor to ask'), { code: 'ERR_NO_FD' });
  }
  return peerCredentials(fd);
}

/** Admits the peer only when its uid is `clientUid`; anything unknown refuses it. */
export function checkPeer(socket: Socket, clientUid: number): PeerVerdict {
  let peer: PeerCredentials;
  try {
    peer = socketPeer(socket);
  } catch (error) {
    return { admitted: false, problem: `SO_PEERCRED failed: ${(error as { code?: string }).code ?? 'error'}` };
  }
  if (peer.uid !== clientUid) return { admitted: false, peer, problem: `uid ${peer.uid} is not the client user's` };
  return { admitted: true, peer };
}
