// Where the windows' pages come from. Everything a window shows is served by the
// app's own `app:` protocol (see protocol-handler.ts), never from file:// or the
// network. Two hosts, so that the two kinds of page do not share an origin:
//   app://gatehouse/  the React UI (dist/renderer), the only origin that may talk to the engine
//   app://shell/      the cover and emergency pages (dist/electron/pages), which never can
import { join } from 'node:path';

export const APP_SCHEME = 'app';
export const UI_HOST = 'gatehouse';
export const SHELL_HOST = 'shell';

/** The origin of the conversation UI: the only origin whose frames the IPC handlers accept. */
export const UI_ORIGIN = `${APP_SCHEME}://${UI_HOST}`;

export const PAGE_URLS = {
  conversation: `${UI_ORIGIN}/index.html`,
  cover: `${APP_SCHEME}://${SHELL_HOST}/cover.html`,
  emergency: `${APP_SCHEME}://${SHELL_HOST}/emergency.html`,
} as const;

export type PageKind = keyof typeof PAGE_URLS;

/** The built output this host serves and loads, relative to the compiled dist/ tree. */
export interface BuiltFiles {
  /** dist/renderer: the React UI. */
  rendererDir: string;
  /** dist/electron/pages: cover and emergency pages. */
  pagesDir: string;
  /** dist/electron/preload.js: the bundled preload. */
  preloadFile: string;
}

/**
 * The build output next to the compiled host: this file compiles to
 * dist/main/hosts/electron/app-origin.js, so dist/ is three levels up.
 */
export function builtFiles(distDir = join(__dirname, '..', '..', '..')): BuiltFiles {
  return {
    rendererDir: join(distDir, 'renderer'),
    pagesDir: join(distDir, 'electron', 'pages'),
    preloadFile: join(distDir, 'electron', 'preload.js'),
  };
}
