// The engine daemon's client: an Engine like the one createEngine makes, whose
// flows run in `gatehouse engine` on the other end of a Unix socket. Hosts use
// it unchanged — `gatehouse check --engine`, `gatehouse serve --engine`, the
// Electron greeter — and the UI cannot tell.
//
// Requests go out as they come (the daemon's engine validates them, exactly as
// an engine in this process would); requests sent before the connection is up
// wait for it. Events are validated (parseEvent) before the observer sees them:
// a daemon that sends anything else is a broken one, and the connection ends.
//
// What the protocol does not carry: PAM call results (the daemon logs them), and
// of a flow's outcome only what the `outcome` event says — the observer's
// FlowOutcome is put together here (the user named in `begin`, the time since).
//
// When the connection fails or is lost, a running flow ends with INTERNAL_ERROR
// and the observer's closed() is called: no event follows. close() ends the
// connection; the daemon then cancels a flow still in its conversation (a
// session already running is the daemon's to end, not the greeter's).
import { connect, type Socket } from 'node:net';
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import { event, OUTCOME_CODES, parseEvent, wipeByteAnswer, type Event, type Mode, type Request, type RequestRefusal } from '../../protocol';
import { encodeFrame, FrameDecoder, FrameTooLargeError, MAX_REQUEST_FRAME_BYTES } from '../../protocol/frames';
import { socketPeer } from './peer-check';

/** The largest event accepted from the daemon (module texts can be long). */
const MAX_EVENT_FRAME_BYTES = 16 * 1024 * 1024;

export interface RemoteEngineOptions {
  socketPath: string;
  /** The mode the daemon must serve; a `context` for another mode ends the connection. */
  mode: Mode;
  observer: EngineObserver;
}

export class RemoteEngine implements Engine {
  readonly mode: Mode;
  /** Settles when the connection is up (or has failed: then it rejects). */
  readonly connected: Promise<void>;
  readonly #observer: EngineObserver;
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder(MAX_EVENT_FRAME_BYTES);
  readonly #waiting: Buffer[] = [];
  #isConnected = false;
  #busy = false;
  #closing = false;
  #gone = false;
  #closed: Promise<void>;
  /** The running flow's `begin`: who it is for and when it started. */
  #flow: { user?: string; startedAt: number } | undefined;

  constructor(options: RemoteEngineOptions) {
    this.mode = options.mode;
    this.#observer = options.observer;
    const socket = connect({ path: options.socketPath });
    this.#socket = socket;
    this.connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        const impostor = serverProblem(socket);
        if (impostor !== undefined) {
          reject(new Error(impostor));
          this.#broken(impostor);
          return;
        }
        this.#isConnected = true;
        for (const frame of this.#waiting.splice(0)) this.#write(frame);
        resolve();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (this.#isConnected) return; // 'close' follows and says it
        reject(error);
        this.#lose(`cannot reach the engine at ${options.socketPath}: ${error.code ?? error.message}`);
      });
    });
    // A caller that never awaits `connected` learns of a failure through closed().
    this.connected.catch(() => undefined);
    this.#closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.once('close', () => {
      this.#decoder.discard();
      this.#lose('the connection to the engine was lost');
    });
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** A request this side's boundary refused never goes to the daemon: refused here. */
  refuse(refusal: RequestRefusal): void {
    this.#emit(event({ type: 'refused', ...(refusal.type === undefined ? {} : { request: refusal.type }), message: refusal.error }));
  }

  receive(input: Request): void {
    if (this.#closing || this.#gone) {
      wipeByteAnswer(input);
      this.#emit(event({ type: 'refused', ...requestType(input), message: 'the engine is closed' }));
      return;
    }
    let frame: Buffer;
    try {
      frame = encodeFrame(input);
    } catch {
      this.#emit(event({ type: 'refused', message: 'the request has no JSON form' }));
      return;
    } finally {
      // An answer's bytes are the engine's once received: the frame holds the only copy now.
      wipeByteAnswer(input);
    }
    // The daemon closes a connection whose frame cannot be a request: refuse it here.
    if (frame.length - 4 > MAX_REQUEST_FRAME_BYTES) {
      frame.fill(0);
      this.#emit(event({ type: 'refused', ...requestType(input), message: 'the request is too large' }));
      return;
    }
    if (input.type === 'begin') {
      this.#flow = { ...(input.user === undefined ? {} : { user: input.user }), startedAt: Date.now() };
    }
    if (this.#isConnected) this.#write(frame);
    else this.#waiting.push(frame);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (!this.#gone) this.#socket.end();
    const timer = setTimeout(() => this.#socket.destroy(), 2_000);
    await this.#closed;
    clearTimeout(timer);
  }

  #write(frame: Buffer): void {
    // The frame may hold an answer: wipe it once the kernel has it.
    this.#socket.write(frame, () => frame.fill(0));
  }

  #onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameTooLargeError)) throw error;
      this.#broken('the engine sent a frame over the size limit');
      return;
    }
    for (const frame of frames) {
      if (this.#gone) return;
      const parsed = frame.ok ? parseEvent(frame.value) : { ok: false as const, error: frame.problem };
      if (!parsed.ok) {
        this.#broken(`the engine sent an invalid event (${parsed.error})`);
        return;
      }
      const e = parsed.value;
      if (e.type === 'context' && e.mode !== this.mode) {
        this.#broken(`the engine serves ${e.mode}, not ${this.mode}`);
        return;
      }
      this.#track(e);
      this.#emit(e);
      if (e.type === 'outcome') this.#outcome(e.ok, e.code ?? (e.ok ? 'PAM_SUCCESS' : OUTCOME_CODES.internal), e.reason);
    }
  }

  #track(e: Event): void {
    if (e.type === 'busy' || (e.type === 'context' && e.running)) this.#busy = true;
    if (e.type === 'outcome') this.#busy = false;
  }

  #outcome(ok: boolean, code: string, reason: string): void {
    const flow = this.#flow;
    this.#flow = undefined;
    const outcome: FlowOutcome = {
      mode: this.mode,
      ...(flow?.user === undefined ? {} : { user: flow.user }),
      ok,
      code,
      reason,
      durationMs: flow === undefined ? 0 : Date.now() - flow.startedAt,
    };
    this.#notify(() => this.#observer.outcome?.(outcome));
  }

  #broken(problem: string): void {
    this.#lose(problem);
    this.#socket.destroy();
  }

  /** The connection is gone (or never came): end a running flow, tell the observer once. */
  #lose(reason: string): void {
    if (this.#gone) return;
    this.#gone = true;
    for (const frame of this.#waiting.splice(0)) frame.fill(0);
    if (this.#closing) return;
    if (this.#busy) {
      this.#busy = false;
      const text = `${reason}; the attempt has ended`;
      this.#emit(event({ type: 'outcome', ok: false, code: OUTCOME_CODES.internal, reason: text }));
      this.#outcome(false, OUTCOME_CODES.internal, text);
    }
    this.#notify(() => this.#observer.closed?.(reason));
  }

  #emit(e: Event): void {
    this.#notify(() => this.#observer.event(e));
  }

  /** An observer that throws must not break the connection's bookkeeping. */
  #notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      // The kind only, as the in-process engine logs it: a host's error text is not known to be free of answers.
      process.stderr.write(`gatehouse: an engine observer failed: ${error instanceof Error ? error.name : typeof error}\n`);
    }
  }
}

/**
 * Answers will go to whoever listens on the socket: it must be root's (the
 * daemon) or this user's own process (a daemon run for development), never
 * another user's who managed to put a socket at the path.
 */
function serverProblem(socket: Socket): string | undefined {
  let uid: number;
  try {
    uid = socketPeer(socket).uid;
  } catch (error) {
    return `cannot tell who listens on the engine socket: ${(error as { code?: string }).code ?? 'error'}`;
  }
  const me = process.getuid?.() ?? 0;
  return uid === 0 || uid === me ? undefined : `the engine socket belongs to uid ${uid}, not root: refusing to talk to it`;
}

/** The request's type for a refusal (never a value). */
function requestType(input: Request): { request: string } {
  return { request: input.type };
}
