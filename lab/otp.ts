// TOTP second-factor fixtures for pam_oath: a users file with a fresh random key
// per user (in its own temp dir, so no test ever replays another's code), and
// the codes, computed with oathtool.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './tmp';

/** pam_oath's prompt for `user`. */
export function otpPrompt(user: string): string {
  return `One-time password (OATH) for \`${user}': `;
}

export interface OtpUsers {
  /** The users file, for otpStack (lab/stacks.ts). */
  usersFile: string;
  /** The user's code for now (or for `atSeconds`, seconds since the epoch). */
  code(user: string, atSeconds?: number): string;
  /** A six-digit code that is not valid for the user anywhere near now. */
  wrongCode(user: string): string;
}

/** Time step of the codes; pam_oath accepts window=2 steps either side (otpStack). */
const STEP_SECONDS = 30;

export function makeOtpUsers(users: string[]): OtpUsers {
  // pam_oath rewrites the file (last code used, to refuse replays) next to it.
  const dir = makeTempDir('gatehouse-otp-');
  const usersFile = join(dir, 'users.oath');
  const keys = new Map(users.map((u) => [u, randomBytes(20).toString('hex')]));
  writeFileSync(usersFile, [...keys].map(([user, key]) => `HOTP/T30/6 ${user} - ${key}`).join('\n') + '\n');
  chmodSync(usersFile, 0o600);

  const keyOf = (user: string) => {
    const key = keys.get(user);
    if (key === undefined) throw new Error(`no OTP key for ${user}`);
    return key;
  };
  const code = (user: string, atSeconds?: number) => {
    const args = ['--totp', '--digits=6'];
    if (atSeconds !== undefined) args.push(`--now=@${Math.floor(atSeconds)}`);
    return execFileSync('oathtool', [...args, keyOf(user)], { encoding: 'utf8' }).trim();
  };
  const wrongCode = (user: string) => {
    const now = Date.now() / 1000;
    const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((k) => code(user, now + k * STEP_SECONDS)));
    for (let n = 0; ; n += 111_111) {
      const candidate = String(n % 1_000_000).padStart(6, '0');
      if (!near.has(candidate)) return candidate;
    }
  };
  return { usersFile, code, wrongCode };
}
