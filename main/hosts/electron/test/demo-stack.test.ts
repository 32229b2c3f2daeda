// The demo stack behind `npm start`, through real libpam and real modules: every
// demo user's path, as the demo prints it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoStack, DEMO_TOTP_KEY, DEMO_USERS, type DemoStack } from '../../../../demo/demo-stack.cjs';
import { loadConfig, engineOptionsFor } from '../../../config';
import { PamTransaction, type Answer, type PamMessage } from '../../../../native';

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as pam_oath and oathtool compute it. */
function totp(hexKey: string, at = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', Buffer.from(hexKey, 'hex')).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** Answers prompts from a list, in order, and records what the stack said. */
function scripted(answers: string[]) {
  const transcript: string[] = [];
  const queue = [...answers];
  return {
    transcript,
    conversation: (messages: PamMessage[]): Answer[] =>
      messages.map((m) => {
        transcript.push(`${m.style} ${m.text}`);
        if (m.style === 'info' || m.style === 'error') return null;
        const answer = queue.shift();
        if (answer === undefined) throw new Error(`no answer left for '${m.text}'`);
        return answer;
      }),
  };
}

const user = (name: string) => DEMO_USERS.find((u) => u.name === name)!;

let stack: DemoStack;
beforeEach(() => {
  stack = createDemoStack();
});
afterEach(() => stack.remove());

async function start(name: string, answers: string[]) {
  const script = scripted(answers);
  const tx = await PamTransaction.start({ service: stack.service, user: name, confDir: stack.confDir, conversation: script.conversation });
  return { tx, script };
}

describe('the demo stack (npm start)', () => {
  it('PAM asks who is there when nobody is named', async () => {
    const script = scripted(['alice', user('alice').password]);
    const tx = await PamTransaction.start({ service: stack.service, confDir: stack.confDir, conversation: script.conversation });
    await tx.authenticate();
    await tx.end();
    expect(script.transcript).toEqual(['echo-on login:', 'echo-off Password: ']);
  });

  it('alice: her password unlocks', async () => {
    const { tx, script } = await start('alice', [user('alice').password]);
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.setcred('refresh');
    await tx.end();
    expect(script.transcript).toEqual(['echo-off Password: ']);
  });

  it('alice: a wrong password does not', async () => {
    const { tx } = await start('alice', ['not-her-password']);
    await expect(tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await tx.end();
  });

  it('bob: his password has expired; he changes it, and the new one works from then on', async () => {
    const fresh = 'bob-new-demo-42';
    const { tx, script } = await start('bob', [user('bob').password, user('bob').password, fresh, fresh]);
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_NEW_AUTHTOK_REQD' });
    await tx.chauthtok({ changeExpiredAuthtok: true });
    await tx.setcred('refresh');
    await tx.end();
    expect(script.transcript.filter((t) => t.startsWith('echo-off'))).toEqual([
      'echo-off Password: ',
      'echo-off Old password: ',
      'echo-off New password: ',
      'echo-off Retype new password: ',
    ]);
    expect(readFileSync(`${stack.dir}/expired-users`, 'utf8')).not.toMatch(/^bob$/m);

    const again = await start('bob', [fresh]);
    await again.tx.authenticate();
    await again.tx.acctMgmt();
    await again.tx.end();
    const old = await start('bob', [user('bob').password]);
    await expect(old.tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await old.tx.end();
  });

  it('bob: a weak, then a mistyped new password are asked again in the same change (pam_pwquality retry=3)', async () => {
    const fresh = 'bob-new-demo-42';
    const { tx, script } = await start('bob', [user('bob').password, user('bob').password, 'short', fresh, `${fresh}-typo`, fresh, fresh]);
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_NEW_AUTHTOK_REQD' });
    await tx.chauthtok({ changeExpiredAuthtok: true });
    await tx.end();
    expect(script.transcript.filter((t) => t.startsWith('error'))).toEqual([
      'error BAD PASSWORD: The password is shorter than 10 characters',
      'error Sorry, passwords do not match.',
    ]);
    expect(readFileSync(`${stack.dir}/passdb`, 'utf8')).toContain(`bob:${fresh}:`);
    // Passwords in the clear: the rewritten store is still the owner's alone.
    expect(statSync(`${stack.dir}/passdb`).mode & 0o777).toBe(0o600);
  });

  it('bob: three refused new passwords end the change (PAM_MAXTRIES); nothing is stored', async () => {
    const { tx } = await start('bob', [user('bob').password, user('bob').password, 'short', 'tiny', 'small']);
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_NEW_AUTHTOK_REQD' });
    await expect(tx.chauthtok({ changeExpiredAuthtok: true })).rejects.toMatchObject({ code: 'PAM_MAXTRIES' });
    await tx.end();
    expect(readFileSync(`${stack.dir}/passdb`, 'utf8')).toContain(`bob:${user('bob').password}:`);
    expect(readFileSync(`${stack.dir}/expired-users`, 'utf8')).toMatch(/^bob$/m);
  });

  it('bob: a wrong current password is refused before anything else is asked', async () => {
    const { tx } = await start('bob', [user('bob').password, 'not-his-password']);
    await tx.authenticate();
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'PAM_NEW_AUTHTOK_REQD' });
    await expect(tx.chauthtok({ changeExpiredAuthtok: true })).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await tx.end();
  });

  it('the demo users exist for NSS through nss_wrapper, as the account running the demo', () => {
    if (!stack.sessionsWork) {
      console.warn('SKIP demo users in NSS: libnss-wrapper is not installed (build/apt-packages.txt)');
      return;
    }
    const line = execFileSync('getent', ['passwd', 'bob'], { encoding: 'utf8', env: { ...process.env, ...stack.env } });
    const uid = process.getuid!() === 0 ? 65534 : process.getuid!();
    expect(line).toMatch(new RegExp(`^bob:x:${uid}:\\d+:Bob Ross:${stack.dir}/home/bob:/bin/sh`));
  });

  it('carol: her password, then the one-time code from the printed oathtool command', async () => {
    const code = totp(DEMO_TOTP_KEY);
    const oathtool = spawnSync('oathtool', ['--version'], { stdio: 'ignore' });
    if (oathtool.status === 0) {
      // The hint npm start prints gives the same code (unless the 30 s step just turned).
      const hinted = execFileSync('oathtool', ['--totp', DEMO_TOTP_KEY], { encoding: 'utf8' }).trim();
      expect([code, totp(DEMO_TOTP_KEY, Date.now() - 30_000), totp(DEMO_TOTP_KEY, Date.now() + 30_000)]).toContain(hinted);
    } else {
      console.warn('oathtool is not installed: the code is computed here only (apt package oathtool)');
    }
    const { tx, script } = await start('carol', [user('carol').password, code]);
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.end();
    expect(script.transcript).toEqual(['echo-off Password: ', "echo-off One-time password (OATH) for `carol': "]);
  });

  it('carol: a wrong code, or a code used twice, is refused', async () => {
    const wrong = await start('carol', [user('carol').password, '000000' === totp(DEMO_TOTP_KEY) ? '111111' : '000000']);
    await expect(wrong.tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await wrong.tx.end();
    const code = totp(DEMO_TOTP_KEY);
    const first = await start('carol', [user('carol').password, code]);
    await first.tx.authenticate();
    await first.tx.end();
    const replay = await start('carol', [user('carol').password, code]);
    await expect(replay.tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await replay.tx.end();
  });

  it('refuses users it does not know', async () => {
    const { tx } = await start('mallory', ['alice-demo']);
    await expect(tx.authenticate()).rejects.toMatchObject({ code: 'PAM_AUTH_ERR' });
    await tx.end();
  });

  it('comes with a config the engine accepts for every mode', () => {
    const config = loadConfig({ path: stack.configPath });
    expect(config.confDir).toBe(stack.confDir);
    for (const mode of ['login', 'unlock', 'elevate'] as const) {
      const options = engineOptionsFor(config, mode, { user: 'alice' });
      expect(options.service).toBe(stack.service);
      expect(options.confDir).toBe(stack.confDir);
    }
    expect(engineOptionsFor(config, 'login').users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    expect(engineOptionsFor(config, 'login').login?.sessions.map((s) => s.id)).toEqual(['demo']);
  });
});
