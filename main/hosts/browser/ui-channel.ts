// The one UI connection of a serve process, between the WebSocket and the engine.
//
// One connection at a time: a second one is refused (409) while the first is
// open; replacing the first would take a running conversation away from the
// screen the user is looking at. A reloaded page gets in as soon as its old
// socket has closed: browsers close it on unload, the kernel closes it when a
// browser dies, and a peer that stops answering pings is dropped.
//
// A connection that goes away takes its flow with it: a running flow is
// cancelled, so that the next connection starts over and never answers prompts
// it was not shown (a flow that can no longer be cancelled, a running login
// session, goes on).
//
// Every text frame is one JSON request, decoded from its bytes (main/protocol/secret-json.ts:
// an answer never becomes a JS string), parsed once (receiveUntrusted:
// parseRequest) and handed to the engine, which answers anything invalid with
// `refused` and zeroes the answer's bytes once PAM has them.
import type WebSocket from 'ws';
import type { Engine } from '../../auth/api';
import { receiveUntrusted } from '../../auth/receive-untrusted';
import { event, request, wipeByteAnswer, type Event } from '../../protocol';
import { parseSecretJson } from '../../protocol/secret-json';

/** A peer that has not answered a ping for this long is gone. */
const KEEPALIVE_MS = 15_000;

export class UiChannel {
  #engine: Engine | undefined;
  #socket: WebSocket | undefined;
  #reserved = false;
  #alive = false;
  #keepalive: NodeJS.Timeout | undefined;
  readonly #log: (text: string) => void;

  constructor(log: (text: string) => void) {
    this.#log = log;
  }

  bind(engine: Engine): void {
    this.#engine = engine;
  }

  /** Claims the one connection slot for a handshake; false when it is taken. */
  reserve(): boolean {
    if (this.#reserved) return false;
    this.#reserved = true;
    return true;
  }

  /** Gives the slot back after a handshake that did not complete. */
  release(): void {
    if (this.#socket === undefined) this.#reserved = false;
  }

  /** The handshake of the reserved slot completed: this socket is the UI now. */
  accept(socket: WebSocket): void {
    this.#socket = socket;
    this.#alive = true;
    this.#log('gatehouse serve: the UI connected');
    socket.on('message', (data, isBinary) => this.#onFrame(socket, data, isBinary));
    socket.on('pong', () => {
      this.#alive = true;
    });
    // ws closes the socket itself after an error (1009 for an oversized frame, ...);
    // the listener only keeps the error from being thrown.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#log(`gatehouse serve: WebSocket error: ${error.code ?? error.name}`);
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      clearInterval(this.#keepalive);
      this.#socket = undefined;
      this.#log('gatehouse serve: the UI disconnected');
      // Its flow ends with it; the slot is free again only once the cancel was taken.
      if (this.#engine?.busy === true) {
        this.#log('gatehouse serve: cancelling the flow the UI left');
        this.#engine.receive(request({ type: 'cancel' }));
      }
      this.#reserved = false;
    });
    this.#keepalive = setInterval(() => {
      if (!this.#alive) {
        this.#log('gatehouse serve: the UI stopped answering pings; dropping it');
        socket.terminate();
        return;
      }
      this.#alive = false;
      socket.ping();
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  /** An engine event for the UI; dropped while no UI is connected. */
  send(e: Event): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(e));
  }

  /** Closes the connection (the server is shutting down). */
  close(): void {
    clearInterval(this.#keepalive);
    this.#socket?.close(1001, 'gatehouse serve is shutting down');
  }

  #onFrame(socket: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (socket !== this.#socket) return;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (Array.isArray(data)) for (const fragment of data) fragment.fill(0);
    if (isBinary) {
      bytes.fill(0);
      this.#refuse('binary frames are not accepted: send one JSON request per text frame');
      return;
    }
    let parsed: unknown;
    try {
      parsed = parseSecretJson(bytes);
    } finally {
      bytes.fill(0);
    }
    if (parsed === undefined) {
      this.#refuse('the frame is not JSON: send one JSON request per text frame');
      return;
    }
    if (this.#engine === undefined) {
      wipeByteAnswer(parsed);
      this.#refuse('the engine is not running');
      return;
    }
    receiveUntrusted(this.#engine, parsed);
  }

  #refuse(message: string): void {
    this.#log(`gatehouse serve: refused a frame: ${message}`);
    this.send(event({ type: 'refused', message }));
  }
}
