// Service files for real PAM stacks, for tests that drive whole flows: pam_unix
// with pam_pwquality, pam_faillock, an OTP second factor (pam_oath), message
// sources, a session stack with pam_env, and the project's scripted module.
// Write them into a confdir with makeConfDir (lab/confdir.ts). Every module is
// named by absolute path: in a confdir, relative names and includes would reach
// into the host's /etc/pam.d.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { module, SCRIPT_MODULE } from './paths';
import { makeTempDir } from './tmp';

export interface DelayOptions {
  /**
   * The fail delay the stack asks for, in microseconds (pam_faildelay; libpam
   * adds up to ±50 % jitter). Absent: pam_unix's own request (~2 s).
   */
  failDelayUs?: number;
}

/** pam_faildelay's line, and the option that stops pam_unix / pam_faillock asking for their own 2 s. */
function delayParts(options: DelayOptions): { lines: string[]; nodelay: string } {
  if (options.failDelayUs === undefined) return { lines: [], nodelay: '' };
  return { lines: [`auth optional ${module('pam_faildelay.so')} delay=${options.failDelayUs}`], nodelay: ' nodelay' };
}

/** The password group: pwquality (minlen=12, retry=3) in front of pam_unix. */
function passwordLines(): string[] {
  return [
    `password requisite ${module('pam_pwquality.so')} retry=3 minlen=12`,
    `password required ${module('pam_unix.so')} use_authtok yescrypt`,
  ];
}

/**
 * /etc/pam.d/passwd for the system's passwd(1) in the /etc overlay: the same
 * password group as the stacks here (pwquality minlen=12 retry=3, then pam_unix),
 * so that the change through passwd says what the change through
 * pam_chauthtok says. Written by installPasswdService (lab/etc-overlay.ts).
 */
export function passwdService(): string {
  return ['# Written by the test run into the /etc overlay (lab/stacks.ts).', ...passwordLines()].join('\n') + '\n';
}

/**
 * pam_unix for everything, pam_pwquality for new passwords. What it says:
 * `Password: ` (echo-off); expired (lastchg 0): acct_mgmt says
 * PAM_NEW_AUTHTOK_REQD after an error message, then chauthtok asks
 * `Current password: `, `New password: `, `Retype new password: `, and a
 * weak password gets `BAD PASSWORD: The password is shorter than 12 characters`.
 */
export function unixStack(options: DelayOptions = {}): string {
  const delay = delayParts(options);
  return [
    ...delay.lines,
    `auth required ${module('pam_unix.so')}${delay.nodelay}`,
    `account required ${module('pam_unix.so')}`,
    ...passwordLines(),
    `session required ${module('pam_unix.so')}`,
  ].join('\n');
}

export interface FaillockOptions extends DelayOptions {
  /** Failures before the lock (default 3). */
  deny?: number;
  /** Seconds the lock lasts (default 120). */
  unlockTime?: number;
}

/**
 * pam_faillock around pam_unix (man pam_faillock's layout), its tally in
 * `tallyDir` (one per test). Once locked, preauth sends two info messages,
 * `The account is locked due to N failed logins.` and `(M minutes left to
 * unlock)`, then the password is still asked for and refused (preauth `required`).
 */
export function faillockStack(tallyDir: string, options: FaillockOptions = {}): string {
  const delay = delayParts(options);
  const faillock = `${module('pam_faillock.so')} dir=${tallyDir} deny=${options.deny ?? 3} unlock_time=${options.unlockTime ?? 120}${delay.nodelay}`;
  return [
    ...delay.lines,
    `auth required ${faillock} preauth`,
    `auth [success=1 default=bad] ${module('pam_unix.so')}${delay.nodelay}`,
    `auth [default=die] ${faillock} authfail`,
    `auth sufficient ${faillock} authsucc`,
    `auth required ${module('pam_deny.so')}`,
    `account required ${faillock}`,
    `account required ${module('pam_unix.so')}`,
    ...passwordLines(),
    `session required ${module('pam_unix.so')}`,
  ].join('\n');
}

/**
 * pam_unix, then a TOTP code from pam_oath (users file from lab/otp.ts): two
 * prompts, `Password: ` and ``One-time password (OATH) for `USER': ``, both
 * echo-off, each in its own conversation call. Failures are silent PAM_AUTH_ERR.
 */
export function otpStack(usersFile: string, options: DelayOptions = {}): string {
  const delay = delayParts(options);
  return [
    ...delay.lines,
    `auth required ${module('pam_unix.so')}${delay.nodelay}`,
    `auth required ${module('pam_oath.so')} usersfile=${usersFile} window=2 digits=6`,
    `account required ${module('pam_unix.so')}`,
    `session required ${module('pam_unix.so')}`,
  ].join('\n');
}

export interface SessionStack {
  /** The service file text. */
  service: string;
  /** What pam_env puts into the PAM environment at open_session. */
  env: { GATEHOUSE_LAB_FROM_PAM: string; GATEHOUSE_LAB_TTY: string };
}

/**
 * pam_unix for auth / account / session, plus pam_env in the session group: at
 * open_session the PAM environment gets GATEHOUSE_LAB_FROM_PAM (from an env file)
 * and GATEHOUSE_LAB_TTY (PAM_TTY, through pam_env's @{PAM_TTY}).
 */
export function sessionStack(tty: string, options: DelayOptions = {}): SessionStack {
  const dir = makeTempDir('gatehouse-pam-env-');
  const conffile = join(dir, 'pam_env.conf');
  const envfile = join(dir, 'environment');
  writeFileSync(conffile, 'GATEHOUSE_LAB_TTY DEFAULT=none OVERRIDE=@{PAM_TTY}\n');
  writeFileSync(envfile, 'GATEHOUSE_LAB_FROM_PAM=pam-env-file\n');
  chmodSync(conffile, 0o644);
  chmodSync(envfile, 0o644);
  const delay = delayParts(options);
  return {
    service: [
      ...delay.lines,
      `auth required ${module('pam_unix.so')}${delay.nodelay}`,
      `account required ${module('pam_unix.so')}`,
      ...passwordLines(),
      `session required ${module('pam_env.so')} conffile=${conffile} envfile=${envfile} readenv=1 user_readenv=0`,
      `session required ${module('pam_unix.so')}`,
    ].join('\n'),
    env: { GATEHOUSE_LAB_FROM_PAM: 'pam-env-file', GATEHOUSE_LAB_TTY: tty },
  };
}

/**
 * Messages from stock modules while no prompt is pending, then pam_unix:
 * pam_echo's info (`Welcome, USER.`), an error from pam_nologin (optional, so it
 * does not fail the attempt; the user must exist in NSS), and two info lines
 * from a pam_exec script that sleeps between them, so the second one arrives
 * while the module is still at work.
 */
export function messageStack(options: DelayOptions & { sleepSeconds?: number } = {}): {
  service: string;
  texts: { welcome: (user: string) => string; nologin: string; first: string; second: string };
} {
  const dir = makeTempDir('gatehouse-messages-');
  const nologin = join(dir, 'nologin');
  const script = join(dir, 'checking.sh');
  const texts = {
    welcome: (user: string) => `Welcome, ${user}.`,
    nologin: 'Maintenance tonight from 22:00.',
    first: 'Checking the badge reader...',
    second: 'Badge reader ready.',
  };
  writeFileSync(nologin, `${texts.nologin}\n`);
  writeFileSync(script, `#!/bin/sh\necho '${texts.first}'\nsleep ${options.sleepSeconds ?? 1}\necho '${texts.second}'\n`);
  chmodSync(nologin, 0o644);
  chmodSync(script, 0o755);
  const delay = delayParts(options);
  return {
    service: [
      ...delay.lines,
      `auth optional ${module('pam_echo.so')} Welcome, %u.`,
      `auth optional ${module('pam_nologin.so')} file=${nologin}`,
      `auth optional ${module('pam_exec.so')} stdout ${script}`,
      `auth required ${module('pam_unix.so')}${delay.nodelay}`,
      `account required ${module('pam_unix.so')}`,
    ].join('\n'),
    texts,
  };
}

/** Sections of a script for the scripted module (see native/fixtures/README.md). */
export type ScriptSections = Partial<
  Record<'auth' | 'setcred' | 'account' | 'open_session' | 'close_session' | 'chauthtok_prelim' | 'chauthtok', string>
>;

/**
 * The scripted module (native/fixtures) on every management group, running
 * `sections`; a group without a section succeeds.
 */
export function scriptStack(sections: ScriptSections): string {
  const dir = makeTempDir('gatehouse-script-');
  const file = join(dir, 'script');
  const text = Object.entries(sections)
    .map(([section, body]) => `[${section}]\n${body.replace(/^\s+/gm, '').trim()}\n`)
    .join('');
  writeFileSync(file, text);
  chmodSync(file, 0o644);
  return ['auth', 'account', 'password', 'session']
    .map((group) => `${group} required ${SCRIPT_MODULE} script=${file}`)
    .join('\n');
}
