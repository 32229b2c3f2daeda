// Bad input from JS: a TypeError or RangeError naming the problem, never a crash;
// calls at the wrong time: a clear error.
import { describe, expect, it } from 'vitest';
import { PamTransaction, type StartOptions } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { module } from '../../lab/paths';
import { scripted } from './helpers';

const permit = module('pam_permit.so');
const conf = makeConfDir({
  permit: ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${permit}`).join('\n'),
});
const start = (extra: Partial<StartOptions> = {}) =>
  PamTransaction.start({ service: 'permit', user: 'alice', confDir: conf.dir, conversation: scripted().conversation, ...extra });

describe('start arguments', () => {
  it.each<[string, unknown, RegExp, ErrorConstructor]>([
    ['options that are not an object', null, /options must be an object/, TypeError],
    ['a service that is not a string', { service: 7 }, /service must be a string/, TypeError],
    ['a service with a NUL byte', { service: 'perm\0it' }, /service must not contain NUL bytes/, TypeError],
    ['a service with a slash', { service: '../permit' }, /service must be a plain service name/, TypeError],
    ['an empty service', { service: '' }, /service must be a plain service name/, TypeError],
    ['a service of 1000 bytes', { service: 'x'.repeat(1000) }, /service is 1000 bytes long; at most 255/, RangeError],
    ['a user with a NUL byte', { user: 'ali\0ce' }, /user must not contain NUL bytes/, TypeError],
    ['a user that is not a string', { user: ['alice'] }, /user must be a string/, TypeError],
    ['a relative confDir', { confDir: 'conf' }, /confDir must be an absolute path/, TypeError],
    ['a confDir with a NUL byte', { confDir: '/tmp\0/x' }, /confDir must not contain NUL bytes/, TypeError],
    ['a conversation that is not a function', { conversation: 'yes' }, /conversation must be a function/, TypeError],
    ['a negative timeout', { conversationTimeoutMs: -1 }, /conversationTimeoutMs must be a positive integer/, RangeError],
    ['a fractional timeout', { conversationTimeoutMs: 1.5 }, /conversationTimeoutMs must be a positive integer/, RangeError],
  ])('refuses %s', async (_name, options, message, type) => {
    const full =
      options === null ? null : { service: 'permit', confDir: conf.dir, conversation: scripted().conversation, ...(options as object) };
    const error = await PamTransaction.start(full as StartOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });
});

describe('call arguments', () => {
  it.each<[string, (tx: PamTransaction) => Promise<unknown>, RegExp, ErrorConstructor]>([
    ['a non-boolean flag', (tx) => tx.authenticate({ silent: 'yes' as unknown as boolean }), /option 'silent' must be a boolean/, TypeError],
    ['an unknown option', (tx) => tx.acctMgmt({ bogus: true } as never), /unknown option 'bogus'/, TypeError],
    ['a chauthtok option of another call', (tx) => tx.chauthtok({ disallowNullAuthtok: true } as never), /unknown option/, TypeError],
    ['an unknown setcred action', (tx) => tx.setcred('bogus' as never), /action must be one of/, TypeError],
    ['a setcred action from the prototype', (tx) => tx.setcred('toString' as never), /action must be one of/, TypeError],
    ['a secret item', (tx) => tx.getItem('authtok' as never), /unknown item 'authtok'/, TypeError],
    ['an unknown item', (tx) => tx.setItem('conv' as never, 'x'), /unknown item 'conv'/, TypeError],
    ['an item value that is not a string', (tx) => tx.setItem('tty', 7 as never), /value must be a string/, TypeError],
    ['an item value with NUL', (tx) => tx.setItem('tty', '/dev/tty\0'), /item value must not contain NUL bytes/, TypeError],
    ['a huge item value', (tx) => tx.setItem('rhost', 'h'.repeat(5000)), /item value is 5000 bytes long/, RangeError],
    ['putenv without a name', (tx) => tx.putenv('=value'), /non-empty NAME/, TypeError],
    ['putenv with NUL', (tx) => tx.putenv('A=b\0c'), /must not contain NUL bytes/, TypeError],
    ['getenv with =', (tx) => tx.getenv('A=B'), /without '='/, TypeError],
    ['xauth data that is not bytes', (tx) => tx.setXauthData('MIT-MAGIC-COOKIE-1', 'cookie' as never), /data must be a Uint8Array/, TypeError],
    ['a negative end status', (tx) => tx.end(-1), /status must be a non-negative integer/, RangeError],
  ])('refuses %s', async (_name, call, message, type) => {
    const tx = await start();
    const error = await call(tx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    // Nothing was lost: the transaction still works.
    await tx.authenticate();
    await tx.end();
  });
});

describe('lifetime', () => {
  it('refuses a second call while one is running', async () => {
    let release: (() => void) | undefined;
    const tx = await start({
      user: undefined,
      conversation: (m) => new Promise((resolve) => (release = () => resolve(m.map(() => 'alice')))),
    });
    const first = tx.authenticate();
    // Until the module has asked (however busy the machine), authenticate is running.
    while (release === undefined) await new Promise((r) => setTimeout(r, 5));
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'ERR_PAM_BUSY', name: 'PamStateError' });
    release!();
    await first;
    await tx.acctMgmt();
    await tx.end();
  });

  it('refuses calls after end, and end is idempotent', async () => {
    const tx = await start();
    const ended = tx.end();
    expect(tx.end()).toBe(ended);
    await ended;
    await expect(tx.authenticate()).rejects.toMatchObject({ code: 'ERR_PAM_ENDED', message: /has ended/ });
    await expect(tx.getItem('user')).rejects.toMatchObject({ code: 'ERR_PAM_ENDED' });
    expect(tx.ended).toBe(true);
  });

  it('ends through await using', async () => {
    let seen: PamTransaction | undefined;
    {
      await using tx = await start();
      seen = tx;
      await tx.authenticate();
    }
    expect(seen.ended).toBe(true);
    await expect(seen.acctMgmt()).rejects.toMatchObject({ code: 'ERR_PAM_ENDED' });
  });

  it('end() aborts a call that waits in a conversation', async () => {
    const tx = await start({ user: undefined, conversation: () => new Promise(() => {}) });
    const running = tx.authenticate().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await tx.end();
    expect(await running).toMatchObject({ code: 'ABORT_ERR' });
  });
});
