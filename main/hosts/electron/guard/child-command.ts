// The command line of the lock screen UI the guard runs: this very app again, in
// unlock mode, as the guard's child.
import { gatehouseArguments } from '../../../launch/command-line';

/**
 * process.argv up to where Gatehouse's own arguments start: Electron's binary,
 * the runtime switches (--no-sandbox ...), and the app path when unpackaged.
 */
export function runtimePrefix(argv: readonly string[], unpackaged: boolean): string[] {
  const own = gatehouseArguments(argv, unpackaged);
  return argv.slice(0, argv.length - own.length);
}

/**
 * `gatehouse lock [--now|--once] [CONFIG FLAGS]` → the UI child's Gatehouse
 * arguments: `--mode unlock [CONFIG FLAGS]` (lock takes no --user: the UI locks
 * for the user running it).
 */
export function unlockArgumentsForLock(lockArgs: readonly string[]): string[] {
  const [command, ...rest] = lockArgs;
  const flags = command === 'lock' ? rest : [...lockArgs];
  return ['--mode', 'unlock', ...flags.filter((arg) => arg !== '--now' && arg !== '--once')];
}

/** The UI child's whole command line: the same runtime (binary, switches, app) with these Gatehouse arguments. */
export function childCommand(argv: readonly string[], unpackaged: boolean, gatehouseArgs: readonly string[]): string[] {
  return [...runtimePrefix(argv, unpackaged), ...gatehouseArgs];
}
