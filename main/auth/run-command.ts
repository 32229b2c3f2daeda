// Running the commands a flow starts: the login session (as the user) and the
// command an elevate flow approved.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Account } from './accounts';

export interface CommandSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Aborting it asks the command to stop (SIGTERM, then SIGKILL after a grace period). */
  signal?: AbortSignal;
}

/** Starts a command and resolves with its exit status (128 + n when killed by signal n). */
export type RunCommand = (spec: CommandSpec) => Promise<number>;

/** How long a command asked to stop may take before it is killed. */
const STOP_GRACE_MS = 5_000;

export const runCommand: RunCommand = (spec) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = spec.argv;
    if (file === undefined) {
      reject(new Error('empty command'));
      return;
    }
    // The command's output goes to the engine's stderr: a host's stdout may be a
    // protocol stream (gatehouse check --json).
    const child = spawn(file, args, { env: spec.env, cwd: spec.cwd, stdio: ['ignore', 2, 2] });
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    spec.signal?.addEventListener('abort', stop, { once: true });
    const done = () => {
      clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', stop);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
    if (spec.signal?.aborted) stop();
  });

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? 'setpriv';

/**
 * argv that runs `argv` as the account: real and effective uid / gid, and the
 * supplementary groups from initgroups(3) (Node's own uid / gid options drop them).
 * An engine that is not root and already runs as the account (a kiosk greeter
 * running as its kiosk user) runs it as it is: there is nothing to switch, and
 * it could not change its groups anyway.
 */
export function asAccount(account: Account, argv: string[], self = { uid: process.getuid?.(), gid: process.getgid?.() }): string[] {
  if (self.uid !== 0 && account.uid === self.uid && account.gid === self.gid) return [...argv];
  return [SETPRIV, `--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--', ...argv];
}

function isExecutableFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Whether `command` names an executable file: itself when it contains a slash,
 * else in one of PATH's directories (as execvp looks). A wrapper such as setpriv
 * would turn a missing command into exit status 127, indistinguishable from the
 * command's own; this tells them apart before anything starts.
 */
export function findExecutable(command: string, path: string): string | undefined {
  if (command.includes('/')) return isExecutableFile(command) ? command : undefined;
  for (const dir of path.split(':')) {
    const candidate = join(dir === '' ? '.' : dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
