// logind's sleep delay inhibitor, held through `systemd-inhibit`.
//
// logind hands an inhibitor out as a file descriptor (Inhibit returns 'h') and
// holds the sleep until it is closed. dbus-next can only receive descriptors
// through its optional native module (usocket), which does not build on current
// Node and would need rebuilding for Electron; systemd-inhibit takes the lock and
// keeps its descriptor for as long as its child runs. The child is `cat` reading
// a pipe from us: closing the pipe (or our death) ends cat, then systemd-inhibit,
// and logind sees the descriptor close. Nothing can leak past our process.
import { spawn, type ChildProcess } from 'node:child_process';

export interface SleepInhibitorOptions {
  /** The system bus that logind is on (passed to systemd-inhibit). */
  busAddress: string;
  /** Shown by `systemd-inhibit --list`. */
  who: string;
  why: string;
  /** The systemd-inhibit binary; default from PATH. */
  command?: string;
  /** The inhibitor ended without release() (systemd-inhibit failed or was killed). */
  onLost(reason: string): void;
}

export class SleepInhibitor {
  readonly #options: SleepInhibitorOptions;
  #holder: ChildProcess | undefined;

  constructor(options: SleepInhibitorOptions) {
    this.#options = options;
  }

  get held(): boolean {
    return this.#holder !== undefined;
  }

  /** Takes the inhibitor (a no-op while one is held). */
  take(): void {
    if (this.#holder !== undefined) return;
    const { busAddress, who, why, command = 'systemd-inhibit' } = this.#options;
    const holder = spawn(command, ['--what=sleep', '--mode=delay', `--who=${who}`, `--why=${why}`, 'cat'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress },
    });
    this.#holder = holder;
    let stderr = '';
    holder.stderr?.setEncoding('utf8');
    holder.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    // An EPIPE on the pipe we close on release is expected, not a failure.
    holder.stdin?.on('error', () => {});
    const lost = (reason: string) => {
      if (this.#holder !== holder) return; // released, or replaced since
      this.#holder = undefined;
      this.#options.onLost(reason);
    };
    holder.on('error', (error) => lost(`${command} could not run: ${error.message}`));
    holder.on('exit', (code, signal) => {
      const detail = stderr.trim().split('\n').slice(-1)[0] ?? '';
      lost(`${command} ended (${signal ?? `status ${code}`})${detail === '' ? '' : `: ${detail}`}`);
    });
  }

  /** Releases the inhibitor: logind may go on with the sleep. */
  release(): void {
    const holder = this.#holder;
    if (holder === undefined) return;
    this.#holder = undefined;
    holder.stdin?.end();
    // cat ends on end-of-input; make sure a stuck holder does not keep the lock.
    const timer = setTimeout(() => holder.kill('SIGTERM'), 2000);
    timer.unref();
    holder.once('exit', () => clearTimeout(timer));
  }
}
