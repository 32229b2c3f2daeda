// A private polkit for a test: the real polkitd from Debian on a private system
// bus, with its own polkit rules and `polkit-1` PAM service, in a mount namespace
// of its own (inside the run's /etc overlay). Processes join that namespace with
// nsenter and run as a test user with setpriv: the agent, pkexec, a user's shell.
//
// Why a mount namespace: pkexec and polkit-agent-helper-1 are setuid root, and
// GLib ignores DBUS_SYSTEM_BUS_ADDRESS in setuid programs (the helper clears its
// whole environment anyway); they always connect to
// /run/dbus/system_bus_socket. So the namespace gets a tmpfs on /run/dbus, and
// the private dbus-daemon listens on that standard path there. /etc/pam.d and
// /etc/polkit-1/rules.d are bind-mounted from the lab's own directory, so
// suites running side by side never see each other's stacks or rules.
//
// The first process (unshare, exec'd into dbus-daemon) holds the namespace;
// the test process itself reaches the bus through /proc/PID/root.
import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as dbus from 'dbus-next';
import { etcOverlayStatus } from './etc-overlay';
import { module, REPO_ROOT } from './paths';
import { makeTempDir } from './tmp';
import type { TestUser } from './users';

export const POLKITD = '/usr/lib/polkit-1/polkitd';
export const PKEXEC = '/usr/bin/pkexec';
export const HELPER = '/usr/lib/polkit-1/polkit-agent-helper-1';

/** pkexec's exit status when the request was dismissed, and when it was not authorized. */
export const PKEXEC_DISMISSED = 126;
export const PKEXEC_NOT_AUTHORIZED = 127;

/** Why the polkit suites cannot run here, if they cannot. */
export function polkitLabUnavailable(): string | undefined {
  const overlay = etcOverlayStatus();
  if (!overlay.ok) return overlay.reason;
  const missing = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status !== 0;
  if (missing('dbus-daemon', ['--version'])) return 'dbus-daemon is not installed (apt package dbus)';
  if (missing('nsenter', ['--version'])) return 'nsenter is not installed (apt package util-linux)';
  for (const [path, pkg] of [
    [POLKITD, 'polkitd'],
    [HELPER, 'polkitd'],
    [PKEXEC, 'pkexec'],
  ] as const) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return `${path} is not installed (apt package ${pkg})`;
    }
  }
  for (const path of [HELPER, PKEXEC]) {
    if ((statSync(path).mode & 0o4000) === 0) return `${path} is not setuid root`;
  }
  return undefined;
}

/** pam_unix for the helper and pkexec, without pam_unix's own 2 s fail delay. */
export function unixPolkitStack(): string {
  return [
    `auth required ${module('pam_unix.so')} nodelay`,
    `account required ${module('pam_unix.so')}`,
    `session required ${module('pam_permit.so')}`,
  ].join('\n');
}

export interface PolkitLabOptions {
  /** JavaScript polkit rules (/etc/polkit-1/rules.d/10-gatehouse-test.rules). */
  rules: string;
  /** The `polkit-1` PAM service file (default: unixPolkitStack()). */
  pamStack?: string;
}

export interface SpawnOptions {
  /** Run as this user (setpriv); default root. */
  user?: Pick<TestUser, 'name' | 'uid'>;
  env?: NodeJS.ProcessEnv;
}

/** A clean environment for a user's processes: pkexec checks SHELL against /etc/shells. */
function userEnvironment(user: Pick<TestUser, 'name'> | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    SHELL: '/bin/sh',
    LANG: 'C.UTF-8',
    ...(user === undefined ? {} : { USER: user.name, LOGNAME: user.name }),
    ...(process.env.GATEHOUSE_LAB_TMP === undefined ? {} : { GATEHOUSE_LAB_TMP: process.env.GATEHOUSE_LAB_TMP }),
    ...extra,
  };
}

export class PolkitLab {
  readonly dir: string;
  readonly #holder: ChildProcess;
  readonly #polkitd: ChildProcess;
  readonly #control: dbus.MessageBus;
  #output = '';

  private constructor(dir: string, holder: ChildProcess, polkitd: ChildProcess, control: dbus.MessageBus) {
    this.dir = dir;
    this.#holder = holder;
    this.#polkitd = polkitd;
    this.#control = control;
    for (const child of [holder, polkitd]) {
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#output += chunk));
    }
    polkitd.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#output += chunk));
  }

  static async start(options: PolkitLabOptions): Promise<PolkitLab> {
    const dir = makeTempDir('gatehouse-polkit-');
    // /etc/pam.d as it is, with the lab's polkit-1 service.
    cpSync('/etc/pam.d', join(dir, 'pam.d'), { recursive: true });
    mkdirSync(join(dir, 'rules.d'), { mode: 0o755 });
    const lab = { dir };
    writeFileSync(join(dir, 'bus.conf'), BUS_CONFIG);
    writeLabFile(lab, 'pam.d/polkit-1', options.pamStack ?? unixPolkitStack());
    writeLabFile(lab, 'rules.d/10-gatehouse-test.rules', options.rules);

    // Without /run/dbus (no dbus running on this machine) the whole of /run is
    // replaced in the namespace, so that nothing is created on the host.
    const runMount = existsSync('/run/dbus')
      ? 'mount -t tmpfs -o mode=0755 tmpfs /run/dbus'
      : 'mount -t tmpfs -o mode=0755 tmpfs /run && mkdir /run/dbus';
    const script = [
      'set -e',
      runMount,
      `mount --bind '${dir}/pam.d' /etc/pam.d`,
      `mount --bind '${dir}/rules.d' /etc/polkit-1/rules.d`,
      `exec dbus-daemon --config-file='${dir}/bus.conf' --nofork --nopidfile --print-address=1`,
    ].join('\n');
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let polkitd: ChildProcess | undefined;
    try {
      await firstLine(holder, 'the private dbus-daemon');
      // The test process is outside the namespace: it reaches the socket through the holder's root.
      const address = `unix:path=/proc/${holder.pid}/root/run/dbus/system_bus_socket`;
      polkitd = spawn('nsenter', [`--mount=/proc/${holder.pid}/ns/mnt`, '--', POLKITD, '--no-debug'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: userEnvironment(undefined),
      });
      const control = dbus.sessionBus({ busAddress: address });
      control.on('error', () => undefined);
      const lab = new PolkitLab(dir, holder, polkitd, control);
      await lab.#waitForPolkitd();
      return lab;
    } catch (error) {
      polkitd?.kill('SIGKILL');
      holder.kill('SIGKILL');
      throw error;
    }
  }

  /** The namespace's bus as this process reaches it. */
  get bus(): dbus.MessageBus {
    return this.#control;
  }

  /** What polkitd and dbus-daemon wrote, for failure reports and secret checks. */
  get output(): string {
    return this.#output;
  }

  /** The argv that runs `argv` in the lab's namespace, as `user` (setpriv) or root. */
  command(argv: readonly string[], user?: Pick<TestUser, 'name' | 'uid'>): string[] {
    const asUser = user === undefined ? [] : ['setpriv', `--reuid=${user.uid}`, `--regid=${user.uid}`, '--init-groups', '--'];
    return ['nsenter', `--mount=/proc/${this.#holder.pid}/ns/mnt`, '--', ...asUser, ...argv];
  }

  /** Runs `argv` in the lab's namespace with piped stdio. Its pid is the command's own. */
  spawn(argv: readonly string[], options: SpawnOptions = {}): ChildProcessWithoutNullStreams {
    const [command, ...args] = this.command(argv, options.user);
    return spawn(command!, args, { cwd: REPO_ROOT, env: userEnvironment(options.user, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** The environment lab processes get (for launchers that spawn through command()). */
  environment(user?: Pick<TestUser, 'name'>, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return userEnvironment(user, extra);
  }

  /** Replaces the `polkit-1` PAM service (read by the helper and pkexec at each run). */
  setPamStack(text: string): void {
    writeLabFile(this, 'pam.d/polkit-1', text);
  }

  async stop(): Promise<void> {
    this.#control.disconnect();
    await stopChild(this.#polkitd);
    await stopChild(this.#holder);
  }

  async #waitForPolkitd(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await this.#control.call(
          new dbus.Message({
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus',
            member: 'GetNameOwner',
            signature: 's',
            body: ['org.freedesktop.PolicyKit1'],
          }),
        );
        return;
      } catch {
        if (Date.now() > deadline || this.#polkitd.exitCode !== null) {
          throw new Error(`polkitd did not take org.freedesktop.PolicyKit1:\n${this.#output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/**
 * A user's shell in the lab that runs each line it reads as a command and
 * reports `status N` after it. The lines run in the shell itself (eval), so that
 * pkexec's parent, the subject polkit asks about, is this shell's process.
 */
export const COMMAND_SHELL = ['sh', '-c', 'while IFS= read -r line; do eval "$line"; echo "status $?"; done'];

function writeLabFile(lab: { dir: string }, path: string, text: string): void {
  const file = join(lab.dir, path);
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  chmodSync(file, 0o644);
}

function firstLine(child: ChildProcess, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time: ${stderr}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// The system bus as Debian configures it, trimmed to what the lab needs: the
// standard socket path, the default deny policy, and polkit's own policy file
// (polkitd may own its name; only polkitd may call the agents). No activation.
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Peer"/>
  </policy>
  <policy user="root">
    <allow send_type="method_call"/>
  </policy>
  <include>/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>
</busconfig>
`;
