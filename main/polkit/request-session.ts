// One polkit request as an engine conversation: an elevate-mode engine whose PAM
// source is polkit-agent-helper-1 with the request's cookie, whose context shows
// the request (message, action id, details, who asks, who may authenticate), and
// which allows a few attempts before the request ends as not authorized.
//
// The host connects the engine to its UI as for any other conversation; the
// session watches the outcomes and says how the request ended:
//   ok                        → authenticated
//   CANCELLED                 → dismissed (the person said no, or polkitd cancelled)
//   PROMPT_TIMEOUT            → dismissed (nobody answered)
//   final (attempts used up,
//   a helper that broke down) → not authorized
// The outcome that ends the request reaches the UI marked `final`, so every UI
// closes on it.
import { createEngine, type Engine, type EngineObserver, type EngineOptions } from '../auth';
import type { Log } from '../auth/log';
import { screenLocale, type Config } from '../config';
import { OUTCOME_CODES, request as makeRequest, type Event, type EventOf } from '../protocol';
import { HELPER_SERVICE, polkitHelperSource } from '../sources/polkit-helper';
import type { PresentedRequest } from './presentation';
import type { RequestResult } from './request-queue';

export interface RequestSettings {
  locale: string;
  theme: string;
  /** A prompt left unanswered this long dismisses the request (0: never). */
  promptTimeoutMs: number;
  /** Failed authentications before the request ends as not authorized. */
  maxAttempts: number;
  /** The helper to run (default: the installed one). */
  helperPath?: string;
  /** How long the helper may stay silent while no prompt waits (default: the source's). */
  helperSilenceMs?: number;
  log: Log;
}

/** Like sudo's passwd_tries. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** The settings from the configuration (locale, theme, prompt timeout). */
export function requestSettingsFor(config: Config, log: Log): RequestSettings {
  return {
    locale: screenLocale(config),
    theme: config.theme,
    promptTimeoutMs: config.timeouts.promptMs,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    log,
  };
}

export function requestEngineOptions(request: PresentedRequest, settings: RequestSettings): EngineOptions {
  return {
    mode: 'elevate',
    service: HELPER_SERVICE,
    users: request.identities.map(({ name, displayName }) => ({ name, ...(displayName === undefined ? {} : { displayName }) })),
    elevate: {
      action: request.message,
      program: request.program,
      actionId: request.actionId,
      details: request.details,
      request: request.id,
      confirmers: request.identities.map((identity) => identity.name),
      maxAttempts: settings.maxAttempts,
    },
    promptTimeoutMs: settings.promptTimeoutMs,
    power: [],
    locale: settings.locale,
    theme: settings.theme,
  };
}

/** How an outcome ends the request, or undefined when another attempt follows. */
export function requestResultOf(outcome: EventOf<'outcome'>): RequestResult | undefined {
  if (outcome.ok) return 'authenticated';
  if (outcome.code === OUTCOME_CODES.cancelled || outcome.code === OUTCOME_CODES.promptTimeout) return 'dismissed';
  if (outcome.final === true) return 'not-authorized';
  return undefined;
}

export class RequestSession {
  readonly engine: Engine;
  /** How the request ended; settles with the outcome that ends it. */
  readonly result: Promise<RequestResult>;
  #settle!: (result: RequestResult) => void;
  #over = false;

  /**
   * `observer` gets the engine's events as any UI would; `cancelled` aborts when
   * polkitd cancels the request or the agent stops.
   */
  constructor(request: PresentedRequest, settings: RequestSettings, observer: EngineObserver, cancelled: AbortSignal) {
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
    const source = polkitHelperSource({
      cookie: request.cookie,
      ...(settings.helperPath === undefined ? {} : { helperPath: settings.helperPath }),
      ...(settings.helperSilenceMs === undefined ? {} : { silenceTimeoutMs: settings.helperSilenceMs }),
      log: settings.log,
    });
    this.engine = createEngine(
      requestEngineOptions(request, settings),
      {
        event: (e) => observer.event(this.#onEvent(e)),
        ...(observer.result === undefined ? {} : { result: (r) => observer.result?.(r) }),
        ...(observer.outcome === undefined ? {} : { outcome: (o) => observer.outcome?.(o) }),
        ...(observer.log === undefined ? {} : { log: (line) => observer.log?.(line) }),
      },
      { startTransaction: source },
    );
    if (cancelled.aborted) this.#cancel();
    else cancelled.addEventListener('abort', () => this.#cancel(), { once: true });
  }

  /** The request is over: no further attempt. */
  get over(): boolean {
    return this.#over;
  }

  /**
   * Ends the session: a running attempt is aborted and ended. A request that had
   * not ended by then is dismissed.
   */
  async close(): Promise<void> {
    await this.engine.close();
    this.#end('dismissed');
  }

  #onEvent(e: Event): Event {
    if (e.type !== 'outcome' || this.#over) return e;
    const result = requestResultOf(e);
    if (result === undefined) return e;
    // Whoever awaits the result runs only after this event has gone out.
    this.#end(result);
    return result === 'authenticated' || e.final === true ? e : { ...e, final: true };
  }

  #end(result: RequestResult): void {
    this.#over = true;
    this.#settle(result);
  }

  #cancel(): void {
    if (this.#over) return;
    // A running attempt is aborted; between attempts the request is declined.
    // Either way the outcome is CANCELLED. Once an attempt has succeeded the
    // engine refuses, and the request ends authenticated.
    this.engine.receive(makeRequest({ type: 'cancel' }));
  }
}
