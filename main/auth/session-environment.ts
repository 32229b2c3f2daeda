// The environment of a login session: the PAM environment (what the modules set
// up, pam_env, pam_systemd's XDG_RUNTIME_DIR, the engine's XDG_* variables) plus
// the variables login(1) sets from the passwd entry.
import type { Account } from './accounts';

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';
const DEFAULT_ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// A module may export a token into the PAM environment (pam_get_items does);
// libpam clears the items but not such copies. A session never gets them.
const SECRET_VARIABLES = new Set(['PAM_AUTHTOK', 'PAM_OLDAUTHTOK']);

// Variables that would override a LANG the person chose on the screen.
const LANGUAGE_OVERRIDES = ['LC_ALL', 'LANGUAGE'];

/** `locale`: the language chosen on the login screen (a POSIX locale), which becomes LANG. */
export function sessionEnvironment(pamEnv: Record<string, string>, account: Account, locale?: string): Record<string, string> {
  // fromEntries defines own properties: a variable named __proto__ stays data.
  const env: Record<string, string> = Object.fromEntries(
    Object.entries(pamEnv).filter(([name]) => !SECRET_VARIABLES.has(name)),
  );
  env.HOME = account.home;
  env.SHELL = account.shell.length > 0 ? account.shell : '/bin/sh';
  env.USER = account.name;
  env.LOGNAME = account.name;
  // A PATH from the PAM environment (pam_env) is the administrator's choice.
  env.PATH = pamEnv.PATH ?? (account.uid === 0 ? DEFAULT_ROOT_PATH : DEFAULT_PATH);
  if (locale !== undefined) {
    for (const name of LANGUAGE_OVERRIDES) delete env[name];
    env.LANG = locale;
  }
  return env;
}
