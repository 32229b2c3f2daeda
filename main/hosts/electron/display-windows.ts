// The shell's windows: one frameless, full-screen, always-on-top window per
// display, created, moved, replaced and closed as window-plan.ts says. A window
// is replaced by first opening the new one and only then closing the old, so a
// display is never uncovered. Failures of a window's renderer are reported, not
// handled here: fail-closed.ts decides. (Each window's webContents is hardened
// by app-runtime.ts, as every webContents of the app is.)
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { PAGE_URLS, type PageKind } from './app-origin';
import { diffWindows, type WindowRole, type WindowSpec } from './window-plan';

/** The windows' colour before their page paints (the dark theme's background). */
export const SHELL_BACKGROUND = '#101318';

/** A window whose page has not painted by then is shown anyway (opaque, in the background colour). */
const SHOW_FALLBACK_MS = 1000;

export interface DisplayWindowsOptions {
  session: Session;
  preloadFile: string;
  production: boolean;
  /** The renderer of a window crashed, hung, failed to load, or the window vanished. */
  onFailure(displayId: number, role: WindowRole, reason: string): void;
  /** A window is asked to close (window manager, keyboard): return whether it may. */
  onCloseRequest(): boolean;
  /** A window was created (not yet shown, its page not yet loaded). */
  onOpened?(page: PageKind, window: BrowserWindow): void;
}

interface ShellWindow {
  spec: WindowSpec;
  page: PageKind;
  window: BrowserWindow;
  painted: Promise<void>;
  /** Set before the shell closes the window itself: its events no longer count. */
  retired: boolean;
}

export class DisplayWindows {
  readonly #options: DisplayWindowsOptions;
  readonly #windows = new Map<number, ShellWindow>();
  #emergency = false;
  #hidden = false;

  constructor(options: DisplayWindowsOptions) {
    this.#options = options;
  }

  /** Brings the windows in line with the plan (see window-plan.ts for the order). */
  layout(plan: readonly WindowSpec[]): void {
    const changes = diffWindows(this.specs(), plan);
    for (const spec of changes.create) this.#open(spec);
    for (const spec of changes.move) this.#move(spec);
    for (const spec of changes.replace) this.#replace(spec);
    for (const displayId of changes.remove) this.#close(displayId);
  }

  specs(): WindowSpec[] {
    return [...this.#windows.values()].map((w) => w.spec);
  }

  /** A fresh window (and renderer) for the display, in place of the current one. */
  recreate(displayId: number): void {
    const current = this.#windows.get(displayId);
    if (current !== undefined) this.#replace(current.spec);
  }

  /** From now on every window shows the emergency page, which has no bridge to the engine. */
  enterEmergency(): void {
    this.#emergency = true;
    for (const current of [...this.#windows.values()]) this.#replace(current.spec);
  }

  /** The webContents that holds the conversation, if its window exists. */
  conversation(): WebContents | undefined {
    for (const w of this.#windows.values()) {
      if (w.page === 'conversation' && !w.retired && !w.window.isDestroyed()) return w.window.webContents;
    }
    return undefined;
  }

  /**
   * Resolves when every window has painted its page, including windows that
   * replace others meanwhile (a crashed renderer, a hotplug).
   */
  async painted(): Promise<void> {
    for (;;) {
      const current = [...this.#windows.values()];
      await Promise.all(current.map((w) => w.painted));
      const now = [...this.#windows.values()];
      if (now.length === current.length && now.every((w) => current.includes(w))) return;
    }
  }

  /** Login mode: the windows step aside while a user session runs, and come back after. */
  setHidden(hidden: boolean): void {
    this.#hidden = hidden;
    for (const w of this.#windows.values()) {
      if (w.window.isDestroyed()) continue;
      if (hidden) w.window.hide();
      else this.#show(w);
    }
  }

  /** Closes every window (the shell is finishing). */
  destroyAll(): void {
    for (const displayId of [...this.#windows.keys()]) this.#close(displayId);
  }

  #pageFor(role: WindowRole): PageKind {
    if (this.#emergency) return 'emergency';
    return role === 'conversation' ? 'conversation' : 'cover';
  }

  #open(spec: WindowSpec): ShellWindow {
    const page = this.#pageFor(spec.role);
    const { session, preloadFile, production } = this.#options;
    const window = new BrowserWindow({
      ...spec.bounds,
      show: false,
      frame: false,
      fullscreen: true,
      alwaysOnTop: true,
      skipTaskbar: true,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      hasShadow: false,
      autoHideMenuBar: true,
      backgroundColor: SHELL_BACKGROUND,
      title: 'Gatehouse',
      webPreferences: {
        session,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        safeDialogs: true,
        disableDialogs: true,
        devTools: !production,
        // Only the conversation talks to the engine; covers and the emergency page get no bridge.
        ...(page === 'conversation' ? { preload: preloadFile } : {}),
      },
    });
    window.setMenu(null);
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setVisibleOnAllWorkspaces(true);

    const managed: ShellWindow = { spec: { ...spec, bounds: { ...spec.bounds } }, page, window, painted: Promise.resolve(), retired: false };
    managed.painted = this.#trackPaint(managed);
    this.#watch(managed);
    this.#windows.set(spec.displayId, managed);
    this.#options.onOpened?.(page, window);
    void window.loadURL(PAGE_URLS[page]).catch(() => {
      // did-fail-load reports it (and counts as a failure); nothing more to do here.
    });
    return managed;
  }

  /** Shows the window once its page has painted (or after SHOW_FALLBACK_MS); resolves when painted. */
  #trackPaint(managed: ShellWindow): Promise<void> {
    const { window } = managed;
    return new Promise<void>((resolve) => {
      let shownEarly = false;
      const fallback = setTimeout(() => {
        shownEarly = true;
        this.#show(managed);
        if (!window.isDestroyed() && !window.webContents.isLoading()) resolve();
      }, SHOW_FALLBACK_MS);
      window.once('ready-to-show', () => {
        clearTimeout(fallback);
        this.#show(managed);
        resolve();
      });
      // Once shown, a window gets no ready-to-show: its loaded page counts as painted.
      window.webContents.once('did-finish-load', () => {
        if (shownEarly) resolve();
      });
      window.once('closed', () => {
        clearTimeout(fallback);
        resolve();
      });
    });
  }

  #show(managed: ShellWindow): void {
    const { window } = managed;
    if (this.#hidden || managed.retired || window.isDestroyed()) return;
    // Covers never take the focus: keystrokes belong to the conversation.
    if (managed.page === 'cover') {
      window.showInactive();
      return;
    }
    window.show();
    window.focus();
  }

  #watch(managed: ShellWindow): void {
    const { window } = managed;
    const contents = window.webContents;
    const displayId = managed.spec.displayId;
    const fail = (reason: string) => {
      if (managed.retired) return;
      managed.retired = true;
      this.#options.onFailure(displayId, managed.spec.role, reason);
    };
    window.on('close', (event) => {
      if (managed.retired) return;
      if (!this.#options.onCloseRequest()) event.preventDefault();
    });
    window.on('closed', () => {
      // Report first: a replacement takes the display's slot while this one still holds it.
      fail('the window was closed');
      if (this.#windows.get(displayId) === managed) this.#windows.delete(displayId);
    });
    window.on('unresponsive', () => fail('the page stopped responding'));
    contents.on('render-process-gone', (_event, details) => fail(`the renderer is gone (${details.reason})`));
    contents.on('did-fail-load', (_event, errorCode, _description, _url, isMainFrame) => {
      if (isMainFrame) fail(`the page failed to load (${errorCode})`);
    });
    contents.on('preload-error', () => fail('the preload failed'));
    // Keystrokes belong to the conversation: a cover that gets focus hands it on.
    window.on('focus', () => {
      if (managed.page !== 'cover') return;
      const conversation = [...this.#windows.values()].find((w) => w.page === 'conversation' && !w.retired);
      if (conversation !== undefined && !conversation.window.isDestroyed() && conversation.window.isVisible()) {
        conversation.window.focus();
      }
    });
  }

  #move(spec: WindowSpec): void {
    const managed = this.#windows.get(spec.displayId);
    if (managed === undefined || managed.window.isDestroyed()) return;
    managed.spec = { ...spec, bounds: { ...spec.bounds } };
    // Leave full screen, move, and enter it again on the display's new area.
    managed.window.setFullScreen(false);
    managed.window.setBounds(spec.bounds);
    managed.window.setFullScreen(true);
  }

  #replace(spec: WindowSpec): void {
    const old = this.#windows.get(spec.displayId);
    if (old !== undefined) old.retired = true;
    this.#open(spec);
    if (old !== undefined && !old.window.isDestroyed()) old.window.destroy();
  }

  #close(displayId: number): void {
    const managed = this.#windows.get(displayId);
    if (managed === undefined) return;
    managed.retired = true;
    this.#windows.delete(displayId);
    if (!managed.window.isDestroyed()) managed.window.destroy();
  }
}
