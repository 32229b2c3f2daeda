// Where Gatehouse keeps state that must outlive a process (the lockout's
// tallies). Run as root: /var/lib/gatehouse, root's alone, so that no user can
// reset a lock. Run as anyone else (an unlock screen, `gatehouse check` as a
// user), that user cannot write there: the state goes to the user's own
// $XDG_STATE_HOME/gatehouse (~/.local/state/gatehouse). That keeps a lock across
// restarts of the user's locker, against someone at the keyboard; it cannot hold
// against the account itself, which owns the directory (pair it with
// pam_faillock, whose tallies are root's, for that).
//
// GATEHOUSE_STATE_DIR names another directory (tests, packagers); it is held to
// the same rules (owned by the user the engine runs as, writable by nobody else).
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const ROOT_STATE_DIR = '/var/lib/gatehouse';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, uid: number = process.getuid?.() ?? 0): string {
  const fromEnv = env.GATEHOUSE_STATE_DIR;
  if (fromEnv !== undefined && fromEnv !== '' && isAbsolute(fromEnv)) return fromEnv;
  if (uid === 0) return ROOT_STATE_DIR;
  const stateHome = env.XDG_STATE_HOME;
  const base = stateHome !== undefined && isAbsolute(stateHome) ? stateHome : join(env.HOME !== undefined && isAbsolute(env.HOME) ? env.HOME : homedir(), '.local', 'state');
  return join(base, 'gatehouse');
}
