// The forced password change as the user, for real: `gatehouse check --flow
// unlock` runs as a non-root test user (in the /etc overlay), pam_unix says the
// password has expired, and the change goes through the system's setuid passwd
// in a pseudo-terminal (gatehouse-passwd-pty), whose conversation reaches the
// caller as prompts and messages. pam_chauthtok could not do it here: as the
// user, pam_unix may not write /etc/shadow.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { makeConfDir } from '../../../../lab/confdir';
import { installPasswdService } from '../../../../lab/etc-overlay';
import { describeInEtcOverlay } from '../../../../lab/skip';
import { passwdService, unixStack } from '../../../../lab/stacks';
import { makeTempDir } from '../../../../lab/tmp';
import { NEW_PASSWORD, OTHER_NEW_PASSWORD, PASSWORD, USERS, WEAK_PASSWORD, type TestUser } from '../../../../lab/users';
import { assertNothingContains, runCli, type CliResult } from '../../../test/cli-process';

const SECRETS = [PASSWORD, WEAK_PASSWORD, NEW_PASSWORD, OTHER_NEW_PASSWORD];

function shadowEntry(user: string): string[] {
  const line = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (line === undefined) throw new Error(`${user} is not in /etc/shadow`);
  return line.split(':');
}

/** Whether a crypt(3) hash is that of `password` (libxcrypt, through Debian's python3). */
function hashMatches(hash: string, password: string): boolean {
  const check = 'import crypt, sys\nhash, password = sys.stdin.read().split("\\n")[:2]\nprint(crypt.crypt(password, hash) == hash)';
  return execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', check], { input: `${hash}\n${password}\n`, encoding: 'utf8' }).trim() === 'True';
}

describeInEtcOverlay('the expired-password change through passwd, as the user', () => {
  let conf: string;
  let config: string;

  beforeAll(() => {
    installPasswdService(passwdService());
    conf = makeConfDir({ unix: unixStack({ failDelayUs: 0 }) }).dir;
    config = join(makeTempDir('gatehouse-passwd-config-'), 'config.json');
    writeFileSync(config, JSON.stringify({ passwordChange: 'passwd' }));
  });

  const unlockAs = (user: TestUser, answers: string[]): Promise<CliResult> =>
    runCli(['check', '--json', '--flow', 'unlock', '--config', config, '--service', 'unix', '--confdir', conf], {
      input: [...answers, ''].join('\n'),
      as: { uid: user.uid, gid: user.uid },
      env: { LC_ALL: 'C', LANG: 'C', HOME: '/', USER: user.name, LOGNAME: user.name },
      timeoutMs: 40_000,
    });
  const conversation = (result: CliResult) => result.events.filter((e) => e.event === 'prompt' || e.event === 'message' || e.event === 'outcome').map(({ id: _, ...rest }) => rest);

  it('changes it: a weak password gets pwquality’s complaint and another try, a mismatch asks again, /etc/shadow holds the new hash', async () => {
    const user = USERS.expiredPasswd;
    const before = shadowEntry(user.name);
    expect(before[2]).toBe('0'); // must change now
    const result = await unlockAs(user, [PASSWORD, PASSWORD, WEAK_PASSWORD, NEW_PASSWORD, OTHER_NEW_PASSWORD, NEW_PASSWORD, NEW_PASSWORD]);
    expect(conversation(result)).toEqual([
      { event: 'prompt', style: 'echo-off', text: 'Password: ' },
      { event: 'message', kind: 'error', text: 'You are required to change your password immediately (administrator enforced).' },
      { event: 'message', kind: 'info', text: `Changing password for ${user.name}.` },
      { event: 'prompt', style: 'echo-off', text: 'Current password: ' },
      { event: 'prompt', style: 'echo-off', text: 'New password: ' },
      { event: 'message', kind: 'error', text: 'BAD PASSWORD: The password is shorter than 12 characters' },
      { event: 'prompt', style: 'echo-off', text: 'New password: ' },
      { event: 'prompt', style: 'echo-off', text: 'Retype new password: ' },
      // The mismatch keeps the user in the change: the new password is asked for again, not the old one.
      { event: 'message', kind: 'error', text: 'Sorry, passwords do not match.' },
      { event: 'prompt', style: 'echo-off', text: 'New password: ' },
      { event: 'prompt', style: 'echo-off', text: 'Retype new password: ' },
      { event: 'message', kind: 'info', text: 'passwd: password updated successfully' },
      { event: 'outcome', ok: true, code: 'PAM_SUCCESS' },
    ]);
    // passwd did it, not pam_chauthtok in the user's process.
    expect(result.events.filter((e) => e.event === 'result').map((e) => `${String(e.op)} ${String(e.code)}`)).toEqual([
      'start PAM_SUCCESS',
      'authenticate PAM_SUCCESS',
      'acct_mgmt PAM_NEW_AUTHTOK_REQD',
      'setcred PAM_SUCCESS',
      'end PAM_SUCCESS',
    ]);
    expect(result.status).toBe(0);
    assertNothingContains(result, SECRETS);

    const after = shadowEntry(user.name);
    expect(after[1]).not.toBe(before[1]);
    expect(hashMatches(after[1]!, NEW_PASSWORD)).toBe(true);
    expect(hashMatches(after[1]!, PASSWORD)).toBe(false);
    expect(Number(after[2])).toBe(Math.floor(Date.now() / 86_400_000));

    const again = await unlockAs(user, [NEW_PASSWORD]);
    expect(again.events.at(-1)).toEqual({ event: 'outcome', ok: true, code: 'PAM_SUCCESS' });
    const old = await unlockAs(user, [PASSWORD]);
    expect(old.events.at(-1)).toEqual({ event: 'outcome', ok: false, code: 'PAM_AUTH_ERR' });
    assertNothingContains(again, SECRETS);
    assertNothingContains(old, SECRETS);
  }, 120_000);

  it('a wrong current password: passwd’s error is shown, the change fails, the password stays as it was', async () => {
    const user = USERS.expiredPasswdWrong;
    const before = shadowEntry(user.name);
    const result = await unlockAs(user, [PASSWORD, 'Not-The-Password-1']);
    const said = conversation(result);
    expect(said.slice(0, 4)).toEqual([
      { event: 'prompt', style: 'echo-off', text: 'Password: ' },
      { event: 'message', kind: 'error', text: 'You are required to change your password immediately (administrator enforced).' },
      { event: 'message', kind: 'info', text: `Changing password for ${user.name}.` },
      { event: 'prompt', style: 'echo-off', text: 'Current password: ' },
    ]);
    // passwd's own words, as errors; no new password was asked for, so no second run.
    expect(said.slice(4)).toEqual([
      { event: 'message', kind: 'error', text: 'passwd: Authentication failure' },
      { event: 'message', kind: 'error', text: 'passwd: password unchanged' },
      { event: 'outcome', ok: false, code: 'PAM_AUTHTOK_ERR' },
    ]);
    expect(result.status).toBe(1);
    expect(shadowEntry(user.name)).toEqual(before);
    assertNothingContains(result, [...SECRETS, 'Not-The-Password-1']);
  }, 60_000);
});
