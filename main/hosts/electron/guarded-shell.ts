// One run of the shell: the engine, a window on every display, the IPC between
// them, and the fail-closed rules (fail-closed.ts) applied to whatever happens.
// `finished` resolves with the exit status once the engine is closed (its PAM
// transaction aborted and ended) and the windows are gone.
import { screen, type BrowserWindow, type Session } from 'electron';
import type { Engine, EngineObserver, FlowOutcome } from '../../auth/api';
import type { Log } from '../../auth/log';
import { request, type Event, type Mode } from '../../protocol';
import type { PageKind } from './app-origin';
import { DisplayWindows } from './display-windows';
import { EXIT } from '../../exit-codes';
import { EngineLink } from './engine-link';
import { FailClosedShell, type ShellAction, type ShellPolicyOptions } from './fail-closed';
import { RestartPolicy, type RestartPolicyOptions } from '../../lock/restart-policy';
import { planWindows, type WindowRole } from './window-plan';

export interface GuardedShellOptions {
  mode: Mode;
  /** Creates the engine (the PAM engine, or askpass's) with the shell as its observer. */
  createEngine(observer: EngineObserver): Engine;
  session: Session;
  preloadFile: string;
  production: boolean;
  log: Log;
  restartPolicy?: RestartPolicyOptions;
  /** Mode policy adjustments (fail-closed.ts). */
  policy?: ShellPolicyOptions;
  /**
   * Set when the shell runs as the UI child of gatehouse-guard (unlock mode): the
   * guard covers the displays, so the shell opens the conversation window only and
   * hands each one to the guard; where the shell would show its emergency screen it
   * exits instead, and the guard restarts it or shows its own.
   */
  guard?: { windowOpened(page: PageKind, window: BrowserWindow): void };
}

export class GuardedShell {
  readonly finished: Promise<number>;
  readonly #options: GuardedShellOptions;
  readonly #rules: FailClosedShell;
  readonly #windows: DisplayWindows;
  readonly #link: EngineLink;
  #engine: Engine | undefined;
  #resolveFinished!: (exitCode: number) => void;
  #finishing = false;

  constructor(options: GuardedShellOptions) {
    this.#options = options;
    this.#rules = new FailClosedShell(options.mode, new RestartPolicy(options.restartPolicy), options.policy);
    this.finished = new Promise((resolve) => {
      this.#resolveFinished = resolve;
    });
    this.#windows = new DisplayWindows({
      session: options.session,
      preloadFile: options.preloadFile,
      production: options.production,
      onFailure: (displayId, role, reason) => this.#rendererFailed(displayId, role, reason),
      ...(options.guard === undefined ? {} : { onOpened: (page: PageKind, window: BrowserWindow) => options.guard!.windowOpened(page, window) }),
      onCloseRequest: () => {
        const { allow, actions } = this.#rules.closeRequested();
        this.#apply(actions);
        return allow;
      },
    });
    this.#link = new EngineLink({
      engine: () => this.#engine,
      conversation: () => this.#windows.conversation(),
      beforeRequest: (request) => {
        if (request.type === 'cancel') this.#apply(this.#rules.cancelRequested(this.#engine?.busy === true));
      },
      log: options.log,
    });
  }

  get mode(): Mode {
    return this.#options.mode;
  }

  /** Covers every display and starts the engine. Call once, after the app is ready. */
  start(): void {
    this.#link.attach();
    screen.on('display-added', this.#relayout);
    screen.on('display-removed', this.#relayout);
    screen.on('display-metrics-changed', this.#relayout);
    this.#relayout();
    try {
      this.#engine = this.#options.createEngine({
        event: (event) => this.#onEvent(event),
        outcome: (outcome) => this.#onOutcome(outcome),
        // The engine daemon went away (remote engines only).
        closed: (reason) => {
          this.#options.log({ event: 'engine-lost', reason });
          this.#apply(this.#rules.engineLost());
        },
      });
    } catch (error) {
      this.#options.log({ event: 'engine-failed', error: (error as Error).message });
      this.#apply(this.#rules.giveUp());
    }
  }

  /** Resolves when every window up now has painted. */
  painted(): Promise<void> {
    return this.#windows.painted();
  }

  /** Whether the app may quit now (before-quit, window-all-closed). */
  mayQuit(): boolean {
    return this.#rules.quitRequested().allow;
  }

  /** A termination signal: abort and end PAM, close the windows, finish with 128 + N. */
  signalled(signal: string): void {
    this.#apply(this.#rules.signalled(signal));
  }

  /** Chromium's GPU process is gone (app 'child-process-gone'): like a crash of every renderer. */
  gpuProcessGone(reason: string): void {
    this.#options.log({ event: 'gpu-process-gone', reason });
    this.#apply(this.#rules.gpuProcessGone(this.#windows.specs()));
  }

  /** An uncaught exception or unhandled rejection: the shell cannot be trusted to go on. */
  fault(): void {
    this.#apply(this.#rules.giveUp());
  }

  readonly #relayout = (): void => {
    const displays = screen.getAllDisplays();
    let primaryId: number | undefined;
    try {
      primaryId = screen.getPrimaryDisplay().id;
    } catch {
      primaryId = undefined;
    }
    const plan = planWindows(displays, primaryId);
    // Under the guard, its windows cover every display: only the conversation is ours.
    this.#windows.layout(this.#options.guard === undefined ? plan : plan.filter((spec) => spec.role === 'conversation'));
  };

  #onEvent(event: Event): void {
    // A login session runs on the same displays: the greeter steps aside meanwhile.
    if (this.#options.mode === 'login' && event.type === 'phase' && event.name === 'session') {
      this.#windows.setHidden(true);
    }
    this.#link.deliver(event);
  }

  #onOutcome(outcome: FlowOutcome): void {
    if (this.#options.mode === 'login') this.#windows.setHidden(false);
    this.#apply(
      this.#rules.flowEnded({
        ok: outcome.ok,
        code: outcome.code,
        ...(outcome.exitStatus === undefined ? {} : { exitStatus: outcome.exitStatus }),
        ...(outcome.final === true ? { final: true } : {}),
      }),
    );
  }

  #rendererFailed(displayId: number, role: WindowRole, reason: string): void {
    this.#options.log({ event: 'renderer-failed', displayId, role, reason });
    this.#apply(this.#rules.rendererFailed(displayId, role));
  }

  #apply(actions: readonly ShellAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'recreate-window':
          this.#windows.recreate(action.displayId);
          break;
        case 'restart-conversation':
          if (this.#engine?.busy === true) {
            this.#rules.conversationCancelled();
            this.#engine.receive(request({ type: 'cancel' }));
          }
          break;
        case 'enter-emergency':
          if (this.#options.guard !== undefined) {
            // The guard keeps the screen covered, restarts the UI, and has its own emergency cover.
            this.#options.log({ event: 'giving-up-to-the-guard', mode: this.#options.mode });
            void this.#finish(EXIT.failure);
            break;
          }
          this.#options.log({ event: 'emergency', mode: this.#options.mode });
          this.#closeEngine();
          this.#windows.enterEmergency();
          break;
        case 'finish':
          void this.#finish(action.exitCode);
          break;
      }
    }
  }

  #closeEngine(): Promise<void> {
    const engine = this.#engine;
    if (engine === undefined) return Promise.resolve();
    return engine.close().catch((error: unknown) => {
      this.#options.log({ event: 'engine-close-failed', error: (error as Error).message });
    });
  }

  async #finish(exitCode: number): Promise<void> {
    if (this.#finishing) return;
    this.#finishing = true;
    await this.#closeEngine();
    this.#link.detach();
    screen.off('display-added', this.#relayout);
    screen.off('display-removed', this.#relayout);
    screen.off('display-metrics-changed', this.#relayout);
    this.#windows.destroyAll();
    this.#resolveFinished(exitCode);
  }
}
