// One run of polkit-agent-helper-1: spawned with the user to authenticate as its
// only argument (the cookie goes on stdin, as polkit does since CVE-2015-4625, so
// no other process can read it from /proc), its stdout read line by line, its
// stderr kept (bounded) for the reason of a FAILURE, and stopped with SIGTERM, then
// SIGKILL. The helper is setuid root but runs with our real uid, so we may signal it.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { firstExecutable } from '../../executables';
import { answerBytes } from '../../protocol';

/** Where distributions install the helper (Debian, Fedora, Arch: the first; others: libexec). */
export const HELPER_PATHS = [
  '/usr/lib/polkit-1/polkit-agent-helper-1',
  '/usr/libexec/polkit-agent-helper-1',
  '/usr/lib/policykit-1/polkit-agent-helper-1',
  '/usr/libexec/polkit-1/polkit-agent-helper-1',
];

/** The installed helper, or undefined when there is none. */
export function findHelper(candidates: readonly string[] = HELPER_PATHS): string | undefined {
  return firstExecutable(candidates);
}

/** A stdout line longer than this is not the helper's protocol. */
export const MAX_LINE_BYTES = 256 * 1024;
/** How much of stderr is kept for the diagnosis of a failure. */
const MAX_STDERR_BYTES = 16 * 1024;
/** After SIGTERM, how long the helper may take before SIGKILL. */
const KILL_GRACE_MS = 1000;

export type HelperRead = { line: Buffer } | { end: 'closed' | 'too-long' };

export interface HelperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started at all (errno code, e.g. ENOENT). */
  spawnError?: string;
}

export class HelperProcess {
  readonly exited: Promise<HelperExit>;
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  #buffered: Buffer = Buffer.alloc(0);
  #ended: 'closed' | 'too-long' | undefined;
  #stderr = '';
  #waiter: (() => void) | undefined;
  #exit: HelperExit | undefined;

  private constructor(child: ChildProcessByStdio<Writable, Readable, Readable>) {
    this.#child = child;
    this.exited = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.#exit = { code: null, signal: null, spawnError: error.code ?? error.name };
        this.#end('closed');
        resolve(this.#exit);
      });
      child.once('close', (code, signal) => {
        this.#exit ??= { code, signal };
        this.#end('closed');
        resolve(this.#exit);
      });
    });
    child.stdout.on('data', (chunk: Buffer) => this.#onStdout(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.#stderr.length < MAX_STDERR_BYTES) this.#stderr = (this.#stderr + chunk).slice(0, MAX_STDERR_BYTES);
    });
    // A helper that exits while we write gives EPIPE: the exit is what counts.
    child.stdin.on('error', () => undefined);
  }

  /** Starts the helper for `user` and hands it the cookie. */
  static start(path: string, user: string, cookie: string): HelperProcess {
    const child = spawn(path, [user], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // The helper clears its environment itself; give it nothing to begin with.
      env: {},
      cwd: '/',
    });
    const helper = new HelperProcess(child);
    helper.#write(Buffer.from(`${cookie}\n`, 'utf8'));
    return helper;
  }

  /** The process id, while it runs. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** How the helper ended, once it has. */
  get exit(): HelperExit | undefined {
    return this.#exit;
  }

  /** What the helper wrote to stderr so far (at most 16 KiB). */
  get stderr(): string {
    return this.#stderr;
  }

  /** The next stdout line (without its newline), or why there is none. */
  async read(): Promise<HelperRead> {
    for (;;) {
      const newline = this.#buffered.indexOf(0x0a);
      if (newline >= 0) {
        const line = Buffer.from(this.#buffered.subarray(0, newline));
        const rest = Buffer.from(this.#buffered.subarray(newline + 1));
        this.#buffered.fill(0);
        this.#buffered = rest;
        return { line };
      }
      if (this.#ended !== undefined) return { end: this.#ended };
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  /** Writes one answer line; the bytes are wiped once written. */
  /** One answer line; bytes given are zeroed here, the line once written. */
  writeAnswer(answer: string | Uint8Array): void {
    const bytes = typeof answer === 'string' ? Buffer.from(answer, 'utf8') : answer;
    const line = answerBytes(bytes.byteLength + 1);
    line.set(bytes);
    line[bytes.byteLength] = 0x0a;
    bytes.fill(0);
    this.#write(line);
  }

  /** SIGTERM, then SIGKILL if it does not go; resolves when it has exited. */
  async stop(): Promise<HelperExit> {
    if (this.#exit !== undefined) return this.#exit;
    this.#child.stdin.destroy();
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), KILL_GRACE_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  #write(bytes: Buffer): void {
    if (this.#exit !== undefined || this.#child.stdin.destroyed) {
      bytes.fill(0);
      return;
    }
    this.#child.stdin.write(bytes, () => bytes.fill(0));
  }

  #onStdout(chunk: Buffer): void {
    if (this.#ended !== undefined) return;
    const joined = Buffer.concat([this.#buffered, chunk]);
    this.#buffered.fill(0);
    this.#buffered = joined;
    if (this.#buffered.indexOf(0x0a) < 0 && this.#buffered.length > MAX_LINE_BYTES) this.#end('too-long');
    this.#wake();
  }

  #end(reason: 'closed' | 'too-long'): void {
    this.#ended ??= reason;
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
