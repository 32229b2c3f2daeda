// The child's end of the guard's channel over a real Unix socket: pings are
// answered at once, other messages passed on, lines that are not messages
// dropped, and the guard's going away reported. (Against the real guard:
// guard/test/guard.test.ts, "speaks the contract with the app's own GuardChannel".)
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../lab/tmp';
import type { GuardMessage } from '../guard/channel-messages';
import { GuardChannel, guardFdOf } from '../guard/guard-channel';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A connected pair: the guard's end (a plain socket) and the child's GuardChannel. */
async function pair(): Promise<{ guard: Socket; channel: GuardChannel; received: () => string }> {
  const path = join(makeTempDir('gatehouse-channel-'), 'socket');
  const server = createServer();
  servers.push(server);
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const channel = new GuardChannel(connect(path));
  const guard = await accepted;
  let text = '';
  guard.setEncoding('latin1');
  guard.on('data', (chunk: string) => (text += chunk));
  return { guard, channel, received: () => text };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('GuardChannel', () => {
  it('answers pings by itself and passes every other message on', async () => {
    const { guard, channel, received } = await pair();
    const messages: GuardMessage[] = [];
    channel.on('message', (m) => messages.push(m));
    guard.write('ping 1\nkey press a 0 61\nping 2\nhos');
    guard.write('ted 0x400001\n');
    await until(() => received() === 'pong 1\npong 2\n' && messages.length === 2);
    expect(messages).toEqual([
      { type: 'key', action: 'press', keysym: 'a', state: 0, text: 'a' },
      { type: 'hosted', window: 0x400001n },
    ]);
    channel.close();
  });

  it('sends the window and the unlock, and counts lines that are not messages without keeping them', async () => {
    const { guard, channel, received } = await pair();
    channel.showWindow(0x2a00003n);
    await channel.unlocked();
    await until(() => received() === 'window 0x2a00003\nunlocked\n');
    guard.write('what is this\n' + 'x'.repeat(5000));
    await until(() => channel.invalidLines === 2);
    channel.close();
  });

  it('reports the guard going away, after which an unlock cannot be sent', async () => {
    const { guard, channel } = await pair();
    let closed = false;
    channel.on('closed', () => (closed = true));
    guard.destroy();
    await until(() => closed);
    expect(channel.closed).toBe(true);
    await expect(channel.unlocked()).rejects.toThrow(/the guard is gone/);
  });
});

describe('guardFdOf', () => {
  it('reads GATEHOUSE_GUARD_FD, and refuses what cannot be the channel', () => {
    expect(guardFdOf({})).toBeUndefined();
    expect(guardFdOf({ GATEHOUSE_GUARD_FD: '' })).toBeUndefined();
    expect(guardFdOf({ GATEHOUSE_GUARD_FD: '3' })).toBe(3);
    for (const bad of ['1', '-3', '3x', '99999', ' 3']) expect(() => guardFdOf({ GATEHOUSE_GUARD_FD: bad })).toThrow(/GATEHOUSE_GUARD_FD/);
  });
});
