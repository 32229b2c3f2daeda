// The lock screen UI's side of the guard, in Electron: each conversation window
// goes to the guard as soon as it exists (before it is shown: the guard
// reparents it into its cover, so no window manager ever manages it), and the
// input the guard forwards goes into that window's page.
import type { BrowserWindow } from 'electron';
import type { Log } from '../../../auth/log';
import type { PageKind } from '../app-origin';
import { windowIdOf } from './channel-messages';
import type { GuardChannel } from './guard-channel';
import { clickTracker, inputEventsFor } from './input-events';

export class GuardLink {
  readonly #channel: GuardChannel;
  readonly #log: Log;
  readonly #clicks = clickTracker();
  #target: BrowserWindow | undefined;

  constructor(channel: GuardChannel, log: Log) {
    this.#channel = channel;
    this.#log = log;
    channel.on('message', (message) => {
      if (message.type === 'hosted' || message.type === 'refused') {
        this.#log({ event: `guard-${message.type}`, window: `0x${message.window.toString(16)}` });
        return;
      }
      const target = this.#target;
      if (target === undefined || target.isDestroyed()) return;
      // Electron delivers injected keys to a focused window only.
      if (!target.webContents.isFocused()) target.webContents.focus();
      for (const input of inputEventsFor(message, this.#clicks, Date.now())) target.webContents.sendInputEvent(input);
    });
  }

  /** GuardedShell's hook: a window was created. */
  windowOpened(page: PageKind, window: BrowserWindow): void {
    if (page !== 'conversation') return;
    const id = windowIdOf(window.getNativeWindowHandle());
    if (id === undefined) {
      this.#log({ event: 'guard-no-window-id' });
      return;
    }
    this.#target = window;
    this.#channel.showWindow(id);
  }
}
