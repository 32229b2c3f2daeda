// Account and group lookups through NSS (getent, id), so that LDAP / sssd users
// are seen exactly as PAM and setpriv see them.
import { execFile, execFileSync } from 'node:child_process';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** The GECOS field's first part (the full name), '' when absent. */
  fullName: string;
  home: string;
  shell: string;
}

/** What the engine needs to know about accounts (a fake one in unit tests). */
export interface Accounts {
  /** The passwd entry of `name`, or undefined when NSS knows no such user. */
  lookup(name: string): Promise<Account | undefined>;
  /** Whether `user` is in `group`, as a member or by primary group (initgroups). */
  isMember(user: string, group: string): Promise<boolean>;
}

/** One line of getent passwd output, or undefined when it is malformed. */
export function parsePasswdLine(line: string): Account | undefined {
  const fields = line.split(':');
  if (fields.length < 7) return undefined;
  const [name, , uid, gid, gecos, home, shell] = fields as [string, string, string, string, string, string, string];
  if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), fullName: gecos.split(',')[0] ?? '', home, shell };
}

function run(command: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      resolve({ ok: error === null, stdout });
    });
  });
}

/** Accounts as NSS reports them. */
export const systemAccounts: Accounts = {
  async lookup(name) {
    const { ok, stdout } = await run('getent', ['passwd', '--', name]);
    if (!ok) return undefined;
    const account = parsePasswdLine(stdout.split('\n')[0] ?? '');
    return account?.name === name ? account : undefined;
  },
  async isMember(user, group) {
    const { ok, stdout } = await run('id', ['-Gn', '--', user]);
    return ok && stdout.trim().split(/\s+/).includes(group);
  },
};

/** The passwd entry of the account with this uid, or undefined when NSS knows none. */
export async function accountByUid(uid: number): Promise<Account | undefined> {
  const { ok, stdout } = await run('getent', ['passwd', '--', String(uid)]);
  if (!ok) return undefined;
  const account = parsePasswdLine(stdout.split('\n')[0] ?? '');
  return account?.uid === uid ? account : undefined;
}

/**
 * The uid NSS gives `name`, whatever spelling of it NSS accepts (a directory
 * service may match names without regard to case); undefined when it knows none.
 */
export async function uidOf(name: string): Promise<number | undefined> {
  const { ok, stdout } = await run('getent', ['passwd', '--', name]);
  if (!ok) return undefined;
  const account = parsePasswdLine(stdout.split('\n')[0] ?? '');
  // getent takes a number for a uid, which getpwnam (and so PAM) never does:
  // the name "0" is no way to count failures against root.
  if (account === undefined || (/^\d+$/.test(name) && account.name !== name)) return undefined;
  return account.uid;
}

/** Every account NSS enumerates (local files; directory services may list fewer). */
export function listAccountsSync(): Account[] {
  const stdout = execFileSync('getent', ['passwd'], { encoding: 'utf8', timeout: 10_000 });
  return stdout
    .split('\n')
    .map(parsePasswdLine)
    .filter((a): a is Account => a !== undefined);
}

/** The listed members of `group` (not users having it only as their primary group); [] when unknown. */
export function groupMembersSync(group: string): string[] {
  let stdout: string;
  try {
    stdout = execFileSync('getent', ['group', '--', group], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    return [];
  }
  const members = stdout.split('\n')[0]?.split(':')[3] ?? '';
  return members.split(',').filter((m) => m.length > 0);
}

/** The passwd entry of `name` through NSS, or undefined (for start-up, before anything runs). */
export function lookupAccountSync(name: string): Account | undefined {
  let stdout: string;
  try {
    stdout = execFileSync('getent', ['passwd', '--', name], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const account = parsePasswdLine(stdout.split('\n')[0] ?? '');
  return account?.name === name ? account : undefined;
}
