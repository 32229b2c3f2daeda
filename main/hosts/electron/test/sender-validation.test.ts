// Which IPC senders reach the engine: frames typed as Electron's WebFrameMain.
import type { WebFrameMain } from 'electron';
import { describe, expect, it } from 'vitest';
import { PAGE_URLS, UI_ORIGIN } from '../app-origin';
import { checkSender, isUiUrl, type SenderFrame } from '../sender-validation';

function frame(url: string, extra: Partial<SenderFrame> = {}): SenderFrame {
  return { url, parent: null, detached: false, ...extra } satisfies Pick<WebFrameMain, 'url' | 'parent' | 'detached'>;
}

const CONVERSATION = 7;

describe('checkSender', () => {
  it('accepts the top frame of the conversation window on the UI origin', () => {
    expect(checkSender({ frame: frame(PAGE_URLS.conversation), senderId: CONVERSATION, conversationId: CONVERSATION })).toEqual({
      ok: true,
    });
    expect(checkSender({ frame: frame(`${UI_ORIGIN}/`), senderId: CONVERSATION, conversationId: CONVERSATION }).ok).toBe(true);
  });

  it('refuses a frame that is gone (senderFrame null) or detached', () => {
    expect(checkSender({ frame: null, senderId: CONVERSATION, conversationId: CONVERSATION })).toEqual({
      ok: false,
      reason: 'the sending frame is gone',
    });
    expect(checkSender({ frame: frame(PAGE_URLS.conversation, { detached: true }), senderId: CONVERSATION, conversationId: CONVERSATION }).ok).toBe(false);
  });

  it('refuses subframes, even on the UI origin', () => {
    const top = frame(PAGE_URLS.conversation) as WebFrameMain;
    const sub = frame(PAGE_URLS.conversation, { parent: top });
    expect(checkSender({ frame: sub, senderId: CONVERSATION, conversationId: CONVERSATION })).toEqual({
      ok: false,
      reason: 'not sent by a top-level frame',
    });
  });

  it('refuses other windows (a cover, a window being replaced) and the time without a conversation', () => {
    expect(checkSender({ frame: frame(PAGE_URLS.conversation), senderId: 8, conversationId: CONVERSATION }).ok).toBe(false);
    expect(checkSender({ frame: frame(PAGE_URLS.conversation), senderId: CONVERSATION, conversationId: undefined }).ok).toBe(false);
  });

  it('refuses any other origin in the conversation window', () => {
    for (const url of [
      PAGE_URLS.cover,
      PAGE_URLS.emergency,
      'file:///usr/share/gatehouse/index.html',
      'https://gatehouse/index.html',
      'app://gatehouse.evil/index.html',
      'app://gatehouse:8080/index.html',
      'app://user:pw@gatehouse/index.html',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(checkSender({ frame: frame(url), senderId: CONVERSATION, conversationId: CONVERSATION }), url).toEqual({
        ok: false,
        reason: 'not sent from the app origin',
      });
    }
  });
});

describe('isUiUrl', () => {
  it('is true only for app://gatehouse, as Chromium spells it (canonical, lower case)', () => {
    expect(isUiUrl('app://gatehouse/assets/index.js')).toBe(true);
    expect(isUiUrl('app://GATEHOUSE/index.html')).toBe(false);
    expect(isUiUrl('app://shell/cover.html')).toBe(false);
  });
});
