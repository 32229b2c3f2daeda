// The child's end of the guard's private channel: the socket the guard handed
// down as GATEHOUSE_GUARD_FD. Answers the guard's pings by itself, passes every
// other message on, and sends the three things a UI may say: show this window,
// pong, unlocked. Electron-free: the Electron adapter (guard-link.ts) wires it to
// the windows.
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { childLine, MAX_LINE, parseGuardLine, type GuardMessage } from './channel-messages';

export const GUARD_FD_VARIABLE = 'GATEHOUSE_GUARD_FD';

/** The channel's fd when this process runs as the guard's UI child, else undefined. Throws on a bad value. */
export function guardFdOf(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env[GUARD_FD_VARIABLE];
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 3) throw new Error(`${GUARD_FD_VARIABLE} must be a file descriptor number above 2 (got '${text.slice(0, 16)}')`);
  return Number(text);
}

export interface GuardChannelEvents {
  /** Every message but ping (answered here). */
  message: [message: GuardMessage];
  /** The guard is gone (or closed the channel): nothing this process shows is a lock any more. */
  closed: [];
}

export class GuardChannel extends EventEmitter<GuardChannelEvents> {
  readonly #stream: Duplex;
  #buffer = '';
  #closed = false;
  /** Lines that were not messages (counted, never logged: a line may hold anything). */
  invalidLines = 0;

  constructor(stream: Duplex) {
    super();
    this.#stream = stream;
    stream.setEncoding('latin1');
    stream.on('data', (chunk: string) => this.#receive(chunk));
    stream.on('end', () => this.#close());
    stream.on('close', () => this.#close());
    // A write to a guard that died: the 'close' that follows says all there is.
    stream.on('error', () => this.#close());
  }

  /** The channel inherited from the guard. */
  static open(fd: number): GuardChannel {
    return new GuardChannel(new Socket({ fd, readable: true, writable: true }));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Asks the guard to show this window (an X window id of this process) above its cover. */
  showWindow(window: bigint): void {
    this.#write(childLine.window(window));
  }

  /** Tells the guard the user authenticated; resolves once the line has left this process. */
  unlocked(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new Error('the guard is gone'));
        return;
      }
      this.#stream.write(childLine.unlocked, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): void {
    this.#stream.destroy();
  }

  #write(line: string): void {
    if (!this.#closed) this.#stream.write(line);
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let newline: number;
    while ((newline = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#take(line);
    }
    if (this.#buffer.length > MAX_LINE) {
      this.invalidLines++;
      this.#buffer = '';
    }
  }

  #take(line: string): void {
    const message = parseGuardLine(line);
    if (message === undefined) {
      this.invalidLines++;
      return;
    }
    if (message.type === 'ping') {
      this.#write(childLine.pong(message.sequence));
      return;
    }
    this.emit('message', message);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('closed');
  }
}
