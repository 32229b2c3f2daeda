// Finding a loopback client's uid in the kernel's socket tables, on tables
// written as /proc/net/tcp and tcp6 print them. (serve-socket.test.ts checks
// the real thing: another uid's client cut off.)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../lab/tmp';
import { peerUid } from '../peer-uid';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function table(name: string, lines: string[]): string {
  const file = join(makeTempDir('gatehouse-peer-'), name);
  writeFileSync(file, HEADER + lines.join('\n') + '\n');
  return file;
}

// 127.0.0.1:41170 → 127.0.0.1:8080 (client), and the server's accepted end.
const tcp = table('tcp', [
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:A0D2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 101 1 0000000000000000 20 4 30 10 -1',
  '   2: 0100007F:1F90 0100007F:A0D2 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0000000000000000 20 4 30 10 -1',
]);
// A client on an IPv6 socket, 127.0.0.1 as ::ffff:127.0.0.1, port 41171.
const tcp6 = table('tcp6', [
  '   0: 0000000000000000FFFF00000100007F:A0D3 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 103 1 0000000000000000 20 4 30 10 -1',
]);

describe('peerUid', () => {
  const ends = (remotePort: number) => ({ localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '127.0.0.1', remotePort });

  it('is the uid of the client end, not of the server end', () => {
    expect(peerUid(ends(41170), [tcp, tcp6])).toBe(1000);
  });

  it('finds a client listed in tcp6 under the IPv4-mapped address', () => {
    expect(peerUid({ ...ends(41171), remoteAddress: '::ffff:127.0.0.1' }, [tcp, tcp6])).toBe(1001);
  });

  it('is undefined for a connection the kernel does not list, or ends it cannot read', () => {
    expect(peerUid(ends(40000), [tcp, tcp6])).toBeUndefined();
    expect(peerUid({ localPort: 8080 }, [tcp])).toBeUndefined();
    expect(peerUid(ends(41170), ['/nonexistent/tcp'])).toBeUndefined();
  });
});
