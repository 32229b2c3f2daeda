// The IPC between the conversation window and the engine: requests in on one
// channel, events out on the other. Every request's sender is checked before the
// engine sees it (sender-validation.ts); the engine validates the request itself.
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { Engine } from '../../auth/api';
import type { Log } from '../../auth/log';
import { receiveUntrusted } from '../../auth/receive-untrusted';
import { wipeByteAnswer, type Event, type Request } from '../../protocol';
import { IPC_CHANNELS } from './channels';
import { checkSender } from './sender-validation';

export interface EngineLinkOptions {
  engine(): Engine | undefined;
  /** The webContents of the current conversation window, if any. */
  conversation(): WebContents | undefined;
  /** Sees each valid request from the conversation before the engine does. */
  beforeRequest?(request: Request): void;
  log: Log;
}

export class EngineLink {
  readonly #options: EngineLinkOptions;
  #attached = false;

  constructor(options: EngineLinkOptions) {
    this.#options = options;
  }

  attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    ipcMain.on(IPC_CHANNELS.request, this.#onRequest);
  }

  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    ipcMain.removeListener(IPC_CHANNELS.request, this.#onRequest);
  }

  /** Delivers one engine event to the conversation window (dropped while there is none). */
  deliver(event: Event): void {
    const contents = this.#options.conversation();
    if (contents === undefined || contents.isDestroyed()) return;
    contents.send(IPC_CHANNELS.event, event);
  }

  readonly #onRequest = (event: IpcMainEvent, payload: unknown): void => {
    // senderFrame is read first and synchronously: it is null once the frame is gone.
    const verdict = checkSender({
      frame: event.senderFrame,
      senderId: event.sender.id,
      conversationId: this.#options.conversation()?.id,
    });
    if (!verdict.ok) {
      // Never the payload: it may hold an answer.
      this.#options.log({ event: 'ipc-refused', reason: verdict.reason });
      wipeByteAnswer(payload);
      return;
    }
    const engine = this.#options.engine();
    if (engine === undefined) {
      wipeByteAnswer(payload);
      return;
    }
    // Parsed once, here; the engine refuses what fails the parse, and owns (and
    // zeroes) a byte answer from here on.
    receiveUntrusted(engine, payload, this.#options.beforeRequest);
  };
}
