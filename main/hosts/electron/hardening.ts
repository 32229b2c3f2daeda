// What no page of the shell may do, set up once per session and per webContents:
// no permissions (camera, notifications, ...), no navigation away from the loaded
// page, no new windows, no <webview>, no downloads, no requests other than app://,
// no dialogs holding a close hostage, and in production no devtools.
import type { Session, WebContents } from 'electron';
import { APP_SCHEME } from './app-origin';

export function hardenSession(session: Session, production: boolean): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event) => event.preventDefault());
  // Only the app's own scheme is ever fetched; devtools' own pages outside production.
  const allowed = new Set([`${APP_SCHEME}:`, 'data:', ...(production ? [] : ['devtools:'])]);
  session.webRequest.onBeforeRequest((details, callback) => {
    let scheme = '';
    try {
      scheme = new URL(details.url).protocol;
    } catch {
      scheme = '';
    }
    callback({ cancel: !allowed.has(scheme) });
  });
}

export function hardenWebContents(contents: WebContents, production: boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Programmatic loads (loadURL from the main process) do not raise these events:
  // only navigation a page starts, which is never wanted.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // A page's beforeunload must never keep the shell from replacing or closing a
  // window: the shell alone decides (see fail-closed.ts).
  contents.on('will-prevent-unload', (event) => event.preventDefault());
  if (production) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}
