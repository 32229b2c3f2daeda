// The process exit statuses of the Electron app, for scripts (elevate, askpass)
// and service managers (lock, login).
export const EXIT = {
  /** Unlocked; confirmed; the askpass answer was written. */
  ok: 0,
  /** elevate / askpass: refused, cancelled, or the prompt failed. */
  denied: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** The shell could not run (no display, no renderer files, logind unavailable, a Wayland session for lock ...). */
  failure: 3,
  /** An uncaught exception or unhandled rejection ended the process (EX_SOFTWARE). */
  fault: 70,
  /**
   * login: the login screen cannot start as configured and installed (the
   * configuration is invalid, no session to offer): starting it again would not
   * help. sysexits' EX_CONFIG; the greeter units do not restart on it
   * (RestartPreventExitStatus), and systemd shows it as 78/CONFIG.
   */
  cannotStart: 78,
} as const;

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The shell's convention for "ended by a signal": 128 + the signal number. */
export function exitCodeForSignal(signal: string): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 15);
}
