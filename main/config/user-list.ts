// The users the login screen offers, from the configured source.
import { listAccountsSync } from '../auth/accounts';
import type { Account } from '../auth/accounts';
import type { Config } from './schema';

export interface UserEntry {
  name: string;
  displayName?: string;
}

// Accounts with these shells cannot log in; greeters do not show them.
const NO_LOGIN_SHELL = /(^|\/)(nologin|false)$/;

function entryOf(account: Account): UserEntry {
  return account.fullName.length > 0 ? { name: account.name, displayName: account.fullName } : { name: account.name };
}

export function userListFor(source: Config['users'], listAccounts: () => Account[] = listAccountsSync): UserEntry[] {
  switch (source.source) {
    case 'none':
      return [];
    case 'list':
      return source.users.map((u) => ({ ...u }));
    case 'passwd':
      return listAccounts()
        .filter((a) => a.uid >= source.minUid && a.uid <= source.maxUid && !NO_LOGIN_SHELL.test(a.shell))
        .map(entryOf);
  }
}
