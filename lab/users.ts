// Test users for real pam_unix stacks. They exist only in the /etc overlay of a
// test run (see etc-overlay.ts): created once by the global test setup, from this
// one list, so that test files never race each other writing /etc/shadow.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, chownSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertEtcOverlay } from './etc-overlay';
import { recordSecret } from './test-logs';

export const PASSWORD = 'Corr3ct-Horse-Battery';
/** Accepted by pam_pwquality minlen=12 and different enough from PASSWORD. */
export const NEW_PASSWORD = 'Fresh-Meadow-Lantern-42';
/** Rejected by pam_pwquality minlen=12. */
export const WEAK_PASSWORD = 'short1';
/** Good enough for pam_pwquality, but not what was typed first: a mismatch. */
export const OTHER_NEW_PASSWORD = 'Other-Meadow-Lantern-42';

/** Supplementary groups every test user is a member of (login sessions check them). */
export const SHARED_GROUP = { name: 'ghshared', gid: 42900 };
/** The admin group for elevate tests; only users with `admin: true` are members. */
export const ADMIN_GROUP = { name: 'ghadmins', gid: 42901 };

export interface TestUser {
  name: string;
  uid: number;
  /** Password in clear ('' = empty hash, '!' = locked). */
  password: string;
  /** shadow fields; lastchg 0 means "must change now". */
  lastchg?: number;
  max?: number;
  expire?: number;
  admin?: boolean;
}

const today = () => Math.floor(Date.now() / 86_400_000);

// One user per scenario that changes state (a password change, a lockout), so
// that test files can run in any order.
export const USERS = {
  plain: { name: 'ghplain', uid: 42001, password: PASSWORD },
  admin: { name: 'ghadmin', uid: 42002, password: PASSWORD, admin: true },
  locked: { name: 'ghlocked', uid: 42003, password: '!' },
  acctExpired: { name: 'ghacctexp', uid: 42004, password: PASSWORD, expire: 1 },
  expiredAddon: { name: 'ghexpaddon', uid: 42010, password: PASSWORD, lastchg: 0 },
  expiredUnlock: { name: 'ghexpunlock', uid: 42011, password: PASSWORD, lastchg: 0 },
  expiredLogin: { name: 'ghexplogin', uid: 42012, password: PASSWORD, lastchg: 0 },
  expiredElevate: { name: 'ghexpelev', uid: 42013, password: PASSWORD, lastchg: 0 },
  expiredE2e: { name: 'ghexpe2e', uid: 42014, password: PASSWORD, lastchg: 0 },
  expiredCheck: { name: 'ghexpcheck', uid: 42015, password: PASSWORD, lastchg: 0 },
  expiredRetry: { name: 'ghexpretry', uid: 42016, password: PASSWORD, lastchg: 0 },
  expiredMaxTries: { name: 'ghexpmax', uid: 42017, password: PASSWORD, lastchg: 0 },
  expiredE2eRetry: { name: 'ghexpe2eretry', uid: 42019, password: PASSWORD, lastchg: 0 },
  /** Changed through the system's passwd, as themselves (not root). */
  expiredPasswd: { name: 'ghexppasswd', uid: 42018, password: PASSWORD, lastchg: 0 },
  expiredPasswdWrong: { name: 'ghexppwwrong', uid: 42023, password: PASSWORD, lastchg: 0 },
  faillockAddon: { name: 'ghflockaddon', uid: 42020, password: PASSWORD },
  faillockEngine: { name: 'ghflockengine', uid: 42021, password: PASSWORD },
  faillockE2e: { name: 'ghflocke2e', uid: 42022, password: PASSWORD },
  otpEngine: { name: 'ghotpengine', uid: 42030, password: PASSWORD },
  otpE2e: { name: 'ghotpe2e', uid: 42031, password: PASSWORD },
  session: { name: 'ghsession', uid: 42040, password: PASSWORD },
  e2e: { name: 'ghe2e', uid: 42050, password: PASSWORD },
  // polkit: the requesting users (each suite its own), and two administrators
  // that the lab's polkit rules offer for auth_admin actions (lab/polkit.ts).
  polkit: { name: 'ghpolkit', uid: 42060, password: PASSWORD },
  polkitScript: { name: 'ghpkscript', uid: 42061, password: PASSWORD },
  polkitE2e: { name: 'ghpke2e', uid: 42062, password: PASSWORD },
  polkitAdminA: { name: 'ghpkadmina', uid: 42065, password: PASSWORD },
  polkitAdminB: { name: 'ghpkadminb', uid: 42066, password: NEW_PASSWORD },
  /** The greeter's user: the engine daemon's client, greetd's default_session user. No password. */
  greeter: { name: 'ghgreeter', uid: 42070, password: '!' },
  daemonLogin: { name: 'ghdaemon', uid: 42071, password: PASSWORD },
  daemonE2e: { name: 'ghdaemone2e', uid: 42072, password: PASSWORD },
  greetdLogin: { name: 'ghgreetd', uid: 42073, password: PASSWORD },
  greetdOtp: { name: 'ghgreetdotp', uid: 42074, password: PASSWORD },
  greetdExpired: { name: 'ghgreetdexp', uid: 42075, password: PASSWORD, lastchg: 0 },
  /** Desktop sessions through the engine daemon (main/sessions/test). */
  desktopX11: { name: 'ghdeskx11', uid: 42076, password: PASSWORD },
  desktopWayland: { name: 'ghdeskwl', uid: 42077, password: PASSWORD },
  /** A Wayland session on a VT of its own (main/sessions/test/session-vt.test.ts). */
  desktopVt: { name: 'ghdeskvt', uid: 42078, password: PASSWORD },
} satisfies Record<string, TestUser>;

/** Where test users' home directories are made (outside /etc, removed with the run). */
export function homeOf(user: TestUser, homesDir: string): string {
  return join(homesDir, user.name);
}

function hash(password: string): string {
  if (password === '' || password === '!' || password === '*') return password;
  return execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password + '\n', encoding: 'utf8' }).trim();
}

/** Writes every user of USERS (and the shared groups) into the overlaid /etc. */
export function createTestUsers(homesDir: string): void {
  assertEtcOverlay();
  const all: TestUser[] = Object.values(USERS);
  for (const password of [PASSWORD, NEW_PASSWORD, WEAK_PASSWORD]) recordSecret(password);
  const passwd: string[] = [];
  const group: string[] = [];
  const shadow: string[] = [];
  for (const u of all) {
    const home = homeOf(u, homesDir);
    if (!existsSync(home)) {
      mkdirSync(home, { recursive: true, mode: 0o750 });
      chownSync(home, u.uid, u.uid);
    }
    passwd.push(`${u.name}:x:${u.uid}:${u.uid}:gatehouse test ${u.name}:${home}:/bin/sh`);
    group.push(`${u.name}:x:${u.uid}:`);
    const f = [u.name, hash(u.password), String(u.lastchg ?? today()), '0', String(u.max ?? 99999), '7', '', u.expire === undefined ? '' : String(u.expire), ''];
    shadow.push(f.join(':'));
  }
  group.push(`${SHARED_GROUP.name}:x:${SHARED_GROUP.gid}:${all.map((u) => u.name).join(',')}`);
  group.push(`${ADMIN_GROUP.name}:x:${ADMIN_GROUP.gid}:${all.filter((u) => u.admin).map((u) => u.name).join(',')}`);
  appendFileSync('/etc/passwd', passwd.join('\n') + '\n');
  appendFileSync('/etc/group', group.join('\n') + '\n');
  appendFileSync('/etc/shadow', shadow.join('\n') + '\n');
}
