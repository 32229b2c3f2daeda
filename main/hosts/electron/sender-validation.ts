// Decides whether an IPC message may reach the engine. Only the top frame of the
// current conversation window, showing the app's own UI origin, may speak; a
// cover, an old window being replaced, a subframe or a page that somehow
// navigated elsewhere may not.
//
// Read `event.senderFrame` synchronously in the handler, before any await: it
// becomes null once the frame navigates or is destroyed.
import type { WebContents, WebFrameMain } from 'electron';
import { APP_SCHEME, UI_HOST } from './app-origin';

/** The parts of WebFrameMain the decision needs. */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent' | 'detached'>;

export interface SenderCheckInput {
  /** `event.senderFrame`, read before any await. */
  frame: SenderFrame | null;
  /** `event.sender.id`. */
  senderId: WebContents['id'];
  /** The webContents id of the window that currently holds the conversation, if any. */
  conversationId: WebContents['id'] | undefined;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

/** True for URLs of the UI origin (app://gatehouse/...). */
export function isUiUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === UI_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
}

export function checkSender({ frame, senderId, conversationId }: SenderCheckInput): SenderVerdict {
  if (frame === null) return { ok: false, reason: 'the sending frame is gone' };
  if (frame.detached) return { ok: false, reason: 'the sending frame is detached' };
  if (frame.parent !== null) return { ok: false, reason: 'not sent by a top-level frame' };
  if (conversationId === undefined || senderId !== conversationId) {
    return { ok: false, reason: 'not sent by the conversation window' };
  }
  if (!isUiUrl(frame.url)) return { ok: false, reason: 'not sent from the app origin' };
  return { ok: true };
}
