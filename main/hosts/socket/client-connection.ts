// One admitted client of the engine daemon: protocol requests in, protocol
// events out, one JSON message per length-prefixed frame (main/protocol/frames.ts).
//
// - A frame that is not JSON gets a `refused` event; the connection goes on.
// - Every frame is parsed once, at this boundary (receiveUntrusted: parseRequest);
//   the engine takes the typed request, and answers anything invalid or out of
//   order with `refused`.
// - A frame whose header announces more than MAX_REQUEST_FRAME_BYTES cannot be a
//   request and leaves the stream unreadable: `refused`, then the socket closes.
// - A client that stops reading while events pile up (more than
//   MAX_UNREAD_BYTES) is dropped.
// Refusals never quote what was sent; frames are wiped once parsed.
import type { Socket } from 'node:net';
import type { Engine } from '../../auth/api';
import type { Log } from '../../auth/log';
import { receiveUntrusted } from '../../auth/receive-untrusted';
import { event, type Event } from '../../protocol';
import { encodeFrame, FrameDecoder, FrameTooLargeError, MAX_REQUEST_FRAME_BYTES } from '../../protocol/frames';
import { SECRET_KEY } from '../../protocol/secret-json';

/** Events a client may leave unread before it is dropped. */
const MAX_UNREAD_BYTES = 1024 * 1024;

export class ClientConnection {
  readonly #socket: Socket;
  readonly #engine: Engine;
  readonly #log: Log;
  readonly #decoder = new FrameDecoder(MAX_REQUEST_FRAME_BYTES, SECRET_KEY);
  #open = true;

  constructor(socket: Socket, engine: Engine, log: Log, onClose: () => void) {
    this.#socket = socket;
    this.#engine = engine;
    this.#log = log;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#log({ event: 'client-error', error: error.code ?? error.name });
    });
    socket.once('close', () => {
      this.#open = false;
      this.#decoder.discard();
      onClose();
    });
  }

  /** One event for the client. */
  send(e: Event): void {
    if (!this.#open) return;
    if (this.#socket.writableLength > MAX_UNREAD_BYTES) {
      this.#log({ event: 'client-dropped', problem: 'the client does not read its events' });
      this.#close();
      return;
    }
    this.#socket.write(encodeFrame(e));
  }

  /** Ends the connection (the daemon is shutting down). */
  close(): void {
    this.#close();
  }

  #onData(chunk: Buffer): void {
    if (!this.#open) return;
    let frames;
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameTooLargeError)) throw error;
      this.#refuse(`a frame may hold at most ${MAX_REQUEST_FRAME_BYTES} bytes: closing the connection`);
      this.#close();
      return;
    }
    for (const frame of frames) {
      if (!this.#open) return;
      if (!frame.ok) {
        this.#refuse(`${frame.problem}: send one JSON request per frame`);
        continue;
      }
      receiveUntrusted(this.#engine, frame.value);
    }
  }

  #refuse(message: string): void {
    this.#log({ event: 'client-frame-refused', problem: message });
    this.send(event({ type: 'refused', message }));
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#socket.end();
    // A peer that does not read may never let the end go out.
    setTimeout(() => this.#socket.destroy(), 1_000).unref();
  }
}
