// `gatehouse engine` as a command: start the daemon, print one line on stdout
// when it listens, serve until SIGTERM / SIGINT / SIGHUP, then close the engine
// (a running flow is aborted and ended, a running session stopped) and remove
// the socket. Diagnostics and the engine's log go to stderr (the journal).
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeProcessUndumpable, processDumpable } from '../../../native';
import { startEngineDaemon, type EngineDaemonOptions } from './engine-daemon';
import { SocketPathError } from './socket-file';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Serves until a termination signal; resolves to the exit status. */
export async function runEngineDaemon(options: EngineDaemonOptions): Promise<number> {
  // The daemon takes every login's answers: no core dump of it (systemd-coredump
  // would keep one), no ptrace by anyone but root.
  makeProcessUndumpable();
  const say = (text: string) => void process.stderr.write(`gatehouse engine: ${text}\n`);
  const problem = unsafeDirectory(options.socketPath);
  if (problem !== undefined) {
    say(problem);
    return 1;
  }
  let daemon;
  try {
    daemon = await startEngineDaemon(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof SocketPathError) && code === undefined) throw error;
    say(error instanceof SocketPathError ? error.message : `cannot listen on ${options.socketPath}: ${code}`);
    return 1;
  }
  // `dumpable` says what the process made of itself (false: it holds answers safely).
  process.stdout.write(`${JSON.stringify({ event: 'listening', socket: options.socketPath, dumpable: processDumpable() })}\n`);
  const signal = await new Promise<string>((resolve) => {
    const onSignal = (name: string) => {
      for (const s of SIGNALS) process.off(s, onSignal);
      resolve(name);
    };
    for (const s of SIGNALS) process.on(s, onSignal);
  });
  say(`${signal}: shutting down`);
  await daemon.close();
  return 0;
}

/**
 * The socket's directory must be one only its owner (root, or the user running
 * the daemon) can write: elsewhere another user could put a socket of their own
 * at the path while the daemon is down, and a greeter would tell it passwords.
 */
function unsafeDirectory(socketPath: string): string | undefined {
  const dir = dirname(socketPath);
  let stat;
  try {
    stat = statSync(dir);
  } catch (error) {
    return `cannot use ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  const me = process.getuid?.() ?? 0;
  if (stat.uid !== 0 && stat.uid !== me) return `${dir} belongs to uid ${stat.uid}: the socket's directory must be root's (e.g. /run/gatehouse)`;
  if ((stat.mode & 0o022) !== 0) return `${dir} is writable by others: the socket's directory must be writable by its owner only (e.g. /run/gatehouse)`;
  return undefined;
}
