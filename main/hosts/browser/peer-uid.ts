// Who is on the other end of a loopback connection: the owner of the client's
// socket, as the kernel lists it in /proc/net/tcp (or tcp6, for a client that
// connects from an IPv6 socket to the IPv4-mapped address). Both ends are in
// this network namespace, so the client's half of the connection is listed
// there with its uid. Only that uid's browser may talk to the engine: another
// local user who got hold of a ticket or a cookie is still refused.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

export interface ConnectionEnds {
  localAddress?: string | undefined;
  localPort?: number | undefined;
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/** The uid owning the client end of `ends`, or undefined when the kernel lists no such socket. */
export function peerUid(ends: ConnectionEnds, tables: string[] = TABLES): number | undefined {
  const client = endpointKey(ends.remoteAddress, ends.remotePort);
  const server = endpointKey(ends.localAddress, ends.localPort);
  if (client === undefined || server === undefined) return undefined;
  for (const table of tables) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (fields.length < 8) continue;
      if (canonical(fields[1]!) !== client || canonical(fields[2]!) !== server) continue;
      const uid = Number(fields[7]);
      if (Number.isInteger(uid)) return uid;
    }
  }
  return undefined;
}

/** An IPv4 endpoint as `ADDR:PORT` in the kernel's hex notation (address bytes in host order). */
function endpointKey(address: string | undefined, port: number | undefined): string | undefined {
  if (address === undefined || port === undefined) return undefined;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  const parts = v4.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  // /proc/net/tcp prints the address as a 32-bit number in host order.
  const ordered = LITTLE_ENDIAN ? [...parts].reverse() : parts;
  const hex = ordered.map((p) => p.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A tcp or tcp6 endpoint reduced to the IPv4 form (tcp6 lists v4-mapped addresses as ::ffff:a.b.c.d). */
function canonical(field: string): string | undefined {
  const [address, port] = field.split(':');
  if (address === undefined || port === undefined) return undefined;
  if (address.length === 8) return `${address.toUpperCase()}:${port.toUpperCase()}`;
  // tcp6: four 32-bit words, each in host order; ::ffff:a.b.c.d is 0000000000000000FFFF0000 then the v4 word.
  if (address.length === 32 && address.toUpperCase().startsWith(LITTLE_ENDIAN ? '0000000000000000FFFF0000' : '00000000000000000000FFFF')) {
    return `${address.slice(24).toUpperCase()}:${port.toUpperCase()}`;
  }
  return undefined;
}
