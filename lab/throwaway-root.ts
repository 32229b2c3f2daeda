// A throw-away Debian root for installing packages: this machine's / under an
// overlay whose upper layer is a tmpfs, in a private mount namespace, with fresh
// /proc, /run and /tmp, and the host's /dev. Whatever dpkg, maintainer scripts
// or tests write lands in the tmpfs and is gone when the root is stopped; the
// host never sees the mounts. Needs root and unshare(1), nsenter(1).
//
// A process (sleep, after the mounts) holds the namespace; commands enter it
// with nsenter and chroot into the merged tree. The upper layer stays readable
// from the host through /proc/PID/root, which is how a test sees what changed.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './tmp';

const SETUP = `set -eu
base=$1
mount -t tmpfs -o mode=0755 tmpfs "$base"
mkdir "$base/upper" "$base/work" "$base/merged"
mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/merged"
mount --rbind /dev "$base/merged/dev"
mount -t proc proc "$base/merged/proc"
mount -t tmpfs -o mode=0755 tmpfs "$base/merged/run"
mount -t tmpfs -o mode=1777 tmpfs "$base/merged/tmp"
echo ready
exec sleep 3600
`;

/** Why a throw-away root cannot be made here, if it cannot. */
export function throwawayRootUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (mount namespaces, overlayfs, chroot)';
  for (const tool of ['unshare', 'nsenter', 'chroot']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (util-linux, coreutils)`;
  }
  return undefined;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr, for assertion messages. */
  output: string;
}

/** A file or directory of the upper layer: what the root changed. */
export interface Change {
  path: string;
  kind: 'file' | 'dir' | 'link' | 'other';
  /** Files: the content's sha256; links: the target. */
  content?: string;
}

export class ThrowawayRoot {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly base: string,
  ) {}

  static async start(): Promise<ThrowawayRoot> {
    const base = makeTempDir('gatehouse-root-');
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', SETUP, 'setup', base], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`throw-away root: no mounts after 20 s: ${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      };
      holder.stdout!.on('data', onData);
      holder.stderr!.on('data', onData);
      holder.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`throw-away root: setup ended (${code}): ${output}`));
      });
    });
    return new ThrowawayRoot(holder, base);
  }

  /** The host path of a path inside the root (through the namespace holder's /proc/PID/root). */
  hostPath(path: string): string {
    return `/proc/${this.holder.pid}/root${this.base}/merged${path}`;
  }

  private upper(): string {
    return `/proc/${this.holder.pid}/root${this.base}/upper`;
  }

  /** Runs a command inside the root (chroot, in the namespace), with a plain environment. */
  run(command: string, args: readonly string[] = [], options: { input?: string; env?: Record<string, string> } = {}): RunResult {
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: '/root', ...options.env };
    const result: SpawnSyncReturns<string> = spawnSync(
      'nsenter',
      ['-t', String(this.holder.pid), '-m', 'chroot', `${this.base}/merged`, 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args],
      { input: options.input ?? '', encoding: 'utf8', timeout: 120_000 },
    );
    if (result.error !== undefined) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
  }

  writeFile(path: string, content: string | Buffer): void {
    writeFileSync(this.hostPath(path), content);
  }

  /** Everything the root has changed so far: the upper layer, by path. */
  changes(): Map<string, Change> {
    const result = new Map<string, Change>();
    const top = this.upper();
    const walk = (dir: string, prefix: string) => {
      for (const name of readdirSync(dir)) {
        const host = join(dir, name);
        const path = `${prefix}/${name}`;
        const stat = lstatSync(host);
        if (stat.isDirectory()) {
          result.set(path, { path, kind: 'dir' });
          walk(host, path);
        } else if (stat.isFile()) {
          result.set(path, { path, kind: 'file', content: createHash('sha256').update(readFileSync(host)).digest('hex') });
        } else if (stat.isSymbolicLink()) {
          result.set(path, { path, kind: 'link', content: readlinkSync(host) });
        } else {
          // overlayfs records a deleted lower file as a character device 0/0 (a whiteout).
          result.set(path, { path, kind: 'other' });
        }
      }
    };
    walk(top, '');
    return result;
  }

  /** Ends the namespace: its mounts and the tmpfs go with its last process. */
  async stop(): Promise<void> {
    if (this.holder.exitCode === null && this.holder.signalCode === null) {
      const exited = new Promise((resolve) => this.holder.once('exit', resolve));
      this.holder.kill('SIGKILL');
      await exited;
    }
    try {
      rmdirSync(this.base);
    } catch {
      // removed with the run's temp root
    }
  }
}

