// A real `gatehouse engine` process (as root, the test's user) and raw clients
// of its socket running as another user: a small relay process, started with
// that user's uid and gid, that copies its stdin to the socket and the socket to
// its stdout, so a test can send any bytes — garbage, oversized frames, requests
// out of order — exactly as the daemon's real client would, and see what comes
// back and when the daemon closes the connection.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Event } from '../../../protocol';
import { PROTOCOL_VERSION } from '../../../protocol';
import { encodeFrame, FrameDecoder } from '../../../protocol/frames';
import { startCli, type RunAs, type RunningCli } from '../../../test/cli-process';

export interface RunningDaemon {
  cli: RunningCli;
  socketPath: string;
  /** The line the daemon printed once listening. */
  listening: Record<string, unknown>;
  /** The daemon's JSON log lines so far (stderr), parsed. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first log line from line `from` on that `match` accepts. */
  waitForLog(match: (entry: Record<string, unknown>) => boolean, from?: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves once the daemon's stderr (its log, and what sessions print) matches `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<{ status: number | null; stderr: string }>;
}

/** Starts `gatehouse engine --socket PATH ARGS...` and waits until it listens. */
export async function startDaemon(socketPath: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunningDaemon> {
  const cli = startCli(['engine', '--socket', socketPath, ...args], env === undefined ? {} : { env });
  const listening = await cli.nextEvent();
  if (listening.event !== 'listening' || listening.socket !== socketPath) {
    throw new Error(`unexpected first line: ${JSON.stringify(listening)}\n${cli.stderr()}`);
  }
  const logs = () =>
    cli
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    cli,
    socketPath,
    listening,
    logs,
    waitForLog: (match, from = 0, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const look = () => {
          const found = logs().slice(from).find(match);
          if (found !== undefined) return resolve(found);
          if (Date.now() - started > timeoutMs) return reject(new Error(`no such log line within ${timeoutMs} ms:\n${cli.stderr()}`));
          setTimeout(look, 25);
        };
        look();
      }),
    waitForOutput: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const look = () => {
          if (pattern.test(cli.stderr())) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${cli.stderr()}`));
          setTimeout(look, 25);
        };
        look();
      }),
    async stop() {
      cli.child.kill('SIGTERM');
      const result = await cli.exited();
      return { status: result.status, stderr: result.stderr };
    },
  };
}

const RELAY = `
const net = require('node:net');
const socket = net.connect(process.argv[1]);
socket.on('connect', () => process.stderr.write('connected\\n'));
socket.on('error', (e) => { process.stderr.write('error ' + (e.code || e.message) + '\\n'); process.exit(2); });
socket.on('close', () => process.exit(0));
process.stdin.on('data', (chunk) => socket.write(chunk));
process.stdin.on('end', () => socket.end());
socket.on('data', (chunk) => process.stdout.write(chunk));
`;

/** One raw connection to the daemon, made by a process running as `as`. */
export class RawClient {
  readonly events: Event[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #decoder = new FrameDecoder(16 * 1024 * 1024);
  readonly closed: Promise<void>;
  readonly connected: Promise<void>;
  #stderr = '';
  #received = 0;
  #taken = 0;
  #waiters = new Set<() => void>();
  #isClosed = false;

  constructor(socketPath: string, as: RunAs) {
    this.#child = spawn(process.execPath, ['-e', RELAY, socketPath], { uid: as.uid, gid: as.gid, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdin.on('error', () => undefined);
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#received += chunk.length;
      for (const frame of this.#decoder.push(chunk)) {
        if (!frame.ok) throw new Error('the daemon sent a frame that is not JSON');
        this.events.push(frame.value as Event);
      }
      this.#wake();
    });
    this.connected = new Promise((resolve, reject) => {
      this.#child.stderr.setEncoding('utf8').on('data', (text: string) => {
        this.#stderr += text;
        if (this.#stderr.includes('connected')) resolve();
        if (this.#stderr.includes('error')) reject(new Error(`the relay could not connect: ${this.#stderr.trim()}`));
      });
    });
    this.connected.catch(() => undefined);
    this.closed = new Promise((resolve) =>
      this.#child.once('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  /** Bytes the daemon has sent on this connection. */
  get bytesReceived(): number {
    return this.#received;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** One protocol request (the version is filled in). */
  send(body: Record<string, unknown>): void {
    this.sendBytes(encodeFrame({ v: PROTOCOL_VERSION, ...body }));
  }

  sendBytes(bytes: Buffer): void {
    this.#child.stdin.write(bytes);
  }

  /** The next event of `type` after those already taken. */
  next<T extends Event['type']>(type: T, timeoutMs = 15_000): Promise<Extract<Event, { type: T }>> {
    return new Promise((resolve, reject) => {
      const look = () => {
        while (this.#taken < this.events.length) {
          const e = this.events[this.#taken++]!;
          if (e.type === type) {
            done();
            resolve(e as Extract<Event, { type: T }>);
            return;
          }
        }
        if (this.#isClosed) {
          done();
          reject(new Error(`the connection closed before a '${type}' event; got ${JSON.stringify(this.events)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no '${type}' event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(look);
      };
      this.#waiters.add(look);
      look();
    });
  }

  /** Resolves when the daemon has closed the connection (within `timeoutMs`). */
  async whenClosed(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the daemon kept the connection open')), timeoutMs)));
    try {
      await Promise.race([this.closed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the connection from this side (the relay exits: as a client that goes away). */
  async close(): Promise<void> {
    if (!this.#isClosed) this.#child.kill('SIGKILL');
    await this.closed;
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
