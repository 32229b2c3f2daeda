// A private D-Bus daemon with the fake logind (fixtures/fake_logind.py) on it, for
// the locker's tests: real dbus-daemon, real D-Bus traffic, real file descriptors.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import * as dbus from 'dbus-next';

export const FAKE_LOGIND = join(__dirname, 'fixtures', 'fake_logind.py');
/** The fake needs the distribution's Python with python3-dbus and python3-gi. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why the locker's D-Bus tests cannot run here, if they cannot. */
export function privateBusUnavailable(): string | undefined {
  const missing = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status !== 0;
  if (missing('dbus-daemon', ['--version'])) return 'dbus-daemon is not installed (apt package dbus)';
  if (missing('systemd-inhibit', ['--version'])) return 'systemd-inhibit is not installed (apt package systemd)';
  if (missing(SYSTEM_PYTHON, ['-c', 'import dbus, dbus.mainloop.glib; from gi.repository import GLib'])) {
    return 'the fake logind needs /usr/bin/python3 with python3-dbus and python3-gi';
  }
  return undefined;
}

function firstLine(child: ChildProcess, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code})`));
    });
  });
}

export interface FakeLogindState {
  inhibitors: { what: string; who: string; why: string; mode: string; takenAt: number; releasedAt: number | null }[];
  lockedHints: boolean[];
  lookups: string[];
  /** The session's LockedHint property now. */
  lockedHint: boolean;
}

export class PrivateBus {
  readonly address: string;
  readonly sessionPath: string;
  readonly #daemon: ChildProcess;
  readonly #fake: ChildProcess;
  readonly #control: dbus.MessageBus;

  private constructor(address: string, sessionPath: string, daemon: ChildProcess, fake: ChildProcess, control: dbus.MessageBus) {
    this.address = address;
    this.sessionPath = sessionPath;
    this.#daemon = daemon;
    this.#fake = fake;
    this.#control = control;
  }

  /** Starts dbus-daemon and the fake logind with one session (id) of one user (uid). */
  static async start(options: { sessionId: string; uid: number; knownPids: number[] }): Promise<PrivateBus> {
    // stderr ignored: as root in a container it warns that it cannot raise its fd limit.
    const daemon = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const address = (await firstLine(daemon, 'dbus-daemon')).trim();
    const fake = spawn(SYSTEM_PYTHON, [FAKE_LOGIND, address, options.sessionId, String(options.uid), ...options.knownPids.map(String)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await firstLine(fake, 'the fake logind').catch((error: unknown) => {
      daemon.kill();
      throw error;
    });
    const control = dbus.sessionBus({ busAddress: address });
    control.on('error', () => {});
    return new PrivateBus(address, ready.replace(/^ready /, ''), daemon, fake, control);
  }

  async #call(member: string, signature = '', body: unknown[] = []): Promise<dbus.Message | null> {
    return this.#control.call(
      new dbus.Message({
        destination: 'org.freedesktop.login1',
        path: '/org/gatehouse/test',
        interface: 'org.gatehouse.test.FakeLogind',
        member,
        signature,
        body,
      }),
    );
  }

  emitLock(): Promise<unknown> {
    return this.#call('EmitLock');
  }

  emitPrepareForSleep(start: boolean): Promise<unknown> {
    return this.#call('EmitPrepareForSleep', 'b', [start]);
  }

  /** Sets the session's LockedHint as a locker that died while locked would have left it. */
  presetLockedHint(locked: boolean): Promise<unknown> {
    return this.#call('PresetLockedHint', 'b', [locked]);
  }

  async state(): Promise<FakeLogindState> {
    const reply = await this.#call('State');
    return JSON.parse(String(reply?.body[0])) as FakeLogindState;
  }

  /** Sends a signal that claims to be logind's, from another connection. */
  async spoof(path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<void> {
    this.#control.send(new dbus.Message({ type: dbus.MessageType.SIGNAL, path, interface: iface, member, signature, body }));
    // A round trip, so the signal has been routed before the caller looks.
    await this.#control.call(
      new dbus.Message({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus.Peer', member: 'Ping' }),
    );
  }

  async stop(): Promise<void> {
    await this.#call('Quit').catch(() => undefined);
    this.#control.disconnect();
    this.#fake.kill();
    this.#daemon.kill();
  }
}

/** Polls until `check` holds (D-Bus and processes take their time), or fails. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
