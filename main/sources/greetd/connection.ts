// One connection to greetd ($GREETD_SOCK): requests out, responses in, in order.
// greetd answers every request with exactly one response, so responses are
// matched to requests first in, first out. Frames are greetd's own: a 32-bit
// length in the host's byte order, then the JSON (main/protocol/frames.ts).
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from '../../protocol/frames';
import { greetdResponseSchema, type GreetdRequest, type GreetdResponse } from './messages';

/** greetd's responses are short; a module's message is the longest thing in one. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export class GreetdConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GreetdConnectionError';
  }
}

interface Waiter {
  resolve(response: GreetdResponse): void;
  reject(error: GreetdConnectionError): void;
}

export class GreetdConnection {
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder(MAX_RESPONSE_BYTES);
  readonly #waiters: Waiter[] = [];
  #failure: GreetdConnectionError | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#fail(`the connection to greetd failed: ${error.code ?? error.message}`, error.code));
    socket.once('close', () => this.#fail('greetd closed the connection'));
  }

  /** Connects to greetd's socket. */
  static open(path: string): Promise<GreetdConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ path });
      const onError = (error: NodeJS.ErrnoException) =>
        reject(new GreetdConnectionError(`cannot connect to greetd at ${path}: ${error.code ?? error.message}`, error.code));
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new GreetdConnection(socket));
      });
    });
  }

  /** Sends one request; resolves with greetd's response to it. */
  request(request: GreetdRequest): Promise<GreetdResponse> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const frame = encodeFrame(request);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      // The frame may hold an answer: wipe it once the kernel has it.
      this.#socket.write(frame, () => frame.fill(0));
    });
  }

  /** Requests still waiting for greetd's response. */
  get outstanding(): number {
    return this.#waiters.length;
  }

  close(): void {
    this.#fail('the connection was closed');
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameTooLargeError)) throw error;
      this.#fail('greetd sent a frame over the size limit');
      this.#socket.destroy();
      return;
    }
    for (const frame of frames) {
      const parsed = frame.ok ? greetdResponseSchema.safeParse(frame.value) : undefined;
      const waiter = this.#waiters.shift();
      if (parsed === undefined || !parsed.success || waiter === undefined) {
        this.#fail(waiter === undefined ? 'greetd sent a response nobody asked for' : 'greetd sent a response this client does not understand');
        waiter?.reject(this.#failure!);
        this.#socket.destroy();
        return;
      }
      waiter.resolve(parsed.data);
    }
  }

  #fail(message: string, code?: string): void {
    this.#failure ??= new GreetdConnectionError(message, code);
    this.#decoder.discard();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
  }
}
