// The process exit statuses of the Electron app, for scripts (elevate, askpass)
// and service managers (lock, login).
export const EXIT = {
  /** Unlocked; confirmed; the askpass answer was written. */
  ok: 0,
  /** elevate / askpass: refused, cancelled, or the prompt failed. */
  denied: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** The shell could not run (no display, no renderer files, logind unavailable ...). */
  failure: 3,
} as const;

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The shell's convention for "ended by a signal": 128 + the signal number. */
export function exitCodeForSignal(signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 15);
}
