// The engine of one seat: takes untrusted requests from a UI, runs at most one
// flow at a time, and holds what outlives a flow (the fail delay, the lockout).
import { userInfo } from 'node:os';
import { OUTCOME_CODES, event, wipeByteAnswer, type Request, type RequestRefusal } from '../protocol';
import type { Event, Mode, PhaseName, PowerAction, RequestOf } from '../protocol';
import type { ChangePasswordOutOfProcess, Engine, EngineObserver, EngineOptions, FlowOutcome } from './api';
import { systemAccounts, uidOf } from './accounts';
import type { Accounts } from './accounts';
import { auditAttempt } from './audit';
import { AttemptGate } from './attempt-gate';
import type { UidOf } from './lockout-key';
import { contextEvent } from './context';
import { FlowRun, flowFor, runMachine } from './flows';
import type { FlowServices } from './flows';
import { makeLog, stderrSink } from './log';
import type { Log, LogSink } from './log';
import { startPamTransaction } from './pam-calls';
import type { CallKey, StartTransaction } from './pam-calls';
import { carryOutPower } from './power';
import { runCommand } from './run-command';
import type { RunCommand } from './run-command';
import { localSessionLauncher } from './session-launcher';
import type { SessionLauncher, SessionPreparer } from './session-launcher';
import { fixedUserOf, resolveBegin } from './begin-target';
import { posixLocale } from './locale';
import { localeAvailable } from '../../native';

/** What the engine uses of the system; the real one in production, fakes in unit tests. */
export interface EngineDeps {
  startTransaction: StartTransaction;
  /** Calls the PAM source leaves to someone else (pam-calls.ts); default: none. */
  unreportedCalls?: ReadonlySet<CallKey>;
  /** Starts a login's session; default: run it here as the user (runCommand) and wait. */
  launchSession?: SessionLauncher;
  /** Prepares a login's session before open_session (an X server); default: none. */
  prepareSession?: SessionPreparer;
  accounts: Accounts;
  runCommand: RunCommand;
  /** The uid NSS gives a name (the lockout's canonical key). */
  uidOf: UidOf;
  now(): number;
  runningAsRoot: boolean;
  /** The user this process runs as: unlock's and elevate's user when none is configured. */
  processUser: string;
  /** Whether a locale is installed (libpam speaks English without it). */
  localeAvailable(locale: string): boolean;
  /** The expired-password change for a process that runs as the user (setuid passwd), when plugged in. */
  changePasswordOutOfProcess?: ChangePasswordOutOfProcess;
}

export function systemDeps(): EngineDeps {
  return {
    startTransaction: startPamTransaction,
    accounts: systemAccounts,
    runCommand,
    uidOf,
    now: Date.now,
    runningAsRoot: process.getuid?.() === 0,
    processUser: userInfo().username,
    localeAvailable,
  };
}

interface ActiveFlow {
  run: FlowRun;
  done: Promise<void>;
}

export class SeatEngine implements Engine {
  readonly mode: Mode;
  readonly #options: EngineOptions;
  readonly #observer: EngineObserver;
  readonly #deps: EngineDeps;
  readonly #log: Log;
  readonly #services: FlowServices;
  readonly #gate: AttemptGate;
  /** unlock's and (usually) elevate's user; undefined where the UI or PAM names one. */
  readonly #fixedUser: string | undefined;
  #flow: ActiveFlow | undefined;
  #closed = false;
  #batches = 0;
  /** Failed attempts so far, cancelled ones aside (counted only against elevate's maxAttempts). */
  #failedAttempts = 0;
  /** elevate: the request is over without success; no further attempt is taken. */
  #over = false;
  /** The language PAM speaks when the UI chose none (from the configuration or the environment). */
  readonly #pamLocale: string | undefined;
  /** Locales already checked for being installed (each missing one is logged once). */
  readonly #checkedLocales = new Set<string>();

  constructor(options: EngineOptions, observer: EngineObserver, deps: EngineDeps) {
    checkOptions(options);
    this.mode = options.mode;
    this.#options = options;
    this.#observer = observer;
    this.#deps = deps;
    this.#log = makeLog(logSinkOf(observer), deps.now);
    this.#gate = new AttemptGate(options, { uidOf: deps.uidOf, now: deps.now, log: this.#log });
    this.#fixedUser = fixedUserOf(options, deps.runningAsRoot, deps.processUser);
    this.#pamLocale = posixLocale(options.locale);
    this.#services = {
      options,
      startTransaction: deps.startTransaction,
      unreportedCalls: deps.unreportedCalls ?? new Set(),
      launchSession: deps.launchSession ?? localSessionLauncher(deps.runCommand),
      ...(deps.prepareSession === undefined ? {} : { prepareSession: deps.prepareSession }),
      accounts: deps.accounts,
      runCommand: deps.runCommand,
      lockout: this.#gate.lock,
      runningAsRoot: deps.runningAsRoot,
      processUser: deps.processUser,
      ...(deps.changePasswordOutOfProcess === undefined ? {} : { changePasswordOutOfProcess: deps.changePasswordOutOfProcess }),
      now: deps.now,
      emit: (e) => this.#emit(e),
      report: (result) => this.#notify(() => this.#observer.result?.(result)),
      log: this.#log,
      nextBatchId: () => `b${++this.#batches}`,
    };
  }

  get busy(): boolean {
    return this.#flow !== undefined;
  }

  receive(request: Request): void {
    if (this.#closed) {
      wipeByteAnswer(request);
      this.#refuse(request.type, 'the engine is closed');
      return;
    }
    switch (request.type) {
      case 'hello':
        this.#hello();
        return;
      case 'begin':
        this.#begin(request);
        return;
      case 'answer':
        this.#answer(request);
        return;
      case 'cancel':
        this.#cancel();
        return;
      case 'power':
        this.#power(request.action);
        return;
    }
  }

  refuse(refusal: RequestRefusal): void {
    this.#refuse(refusal.type, refusal.error);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const flow = this.#flow;
    if (flow === undefined) return;
    flow.run.shutdown();
    await flow.done;
  }

  // ------------------------------------------------------------ requests

  #hello(): void {
    this.#emit(contextEvent(this.#options, this.#fixedUser, this.#flow !== undefined));
    const until = this.#gate.heldUntil(this.#deps.now());
    if (until !== undefined) this.#emit(event({ type: 'delay', until, reason: 'fail-delay' }));
    for (const prompt of this.#flow?.run.broker.pendingPrompts() ?? []) this.#emit(prompt);
  }

  #begin(request: RequestOf<'begin'>): void {
    if (this.#flow !== undefined) {
      this.#refuse('begin', 'a flow is already running');
      return;
    }
    if (this.#over) {
      this.#refuse('begin', 'this request is over: no further attempt is possible');
      return;
    }
    const now = this.#deps.now();
    const until = this.#gate.heldUntil(now);
    if (until !== undefined) {
      this.#refuse('begin', `too soon after a failed attempt: wait ${Math.ceil((until - now) / 1000)} s`);
      return;
    }
    const target = resolveBegin(this.#options, this.#fixedUser, request);
    if (!target.ok) {
      this.#refuse('begin', target.refusal);
      return;
    }
    // The language the person chose on the screen, else the configured one.
    const chosen = request.locale === undefined ? undefined : posixLocale(request.locale);
    const locale = chosen ?? this.#pamLocale;
    if (locale !== undefined) this.#checkLocale(locale);
    const run = new FlowRun(this.#services, {
      ...target.request,
      ...(locale === undefined ? {} : { locale }),
      ...(chosen === undefined || this.mode !== 'login' ? {} : { sessionLocale: chosen }),
    });
    let phase: PhaseName | undefined;
    const onPhase = (next: PhaseName) => {
      // Steps that lead to the same phase say it once; the password change said
      // again means the modules ask for the new password once more.
      if (next === phase && next !== 'change-password') return;
      phase = next;
      this.#emit(event({ type: 'phase', name: next }));
    };
    const flow: ActiveFlow = { run, done: Promise.resolve() };
    this.#flow = flow;
    this.#emit(event({ type: 'busy' }));
    flow.done = runMachine(flowFor(this.mode), run, onPhase).then(() => this.#finish(flow));
  }

  #answer(request: RequestOf<'answer'>): void {
    const run = this.#flow?.run;
    if (run === undefined || run.broker.answer(request.id, request.value) !== 'accepted') {
      wipeByteAnswer(request);
      this.#refuse('answer', 'no prompt with this id is pending');
    }
  }

  #cancel(): void {
    const run = this.#flow?.run;
    if (run === undefined) {
      // Between attempts (a fail delay, "try again"), the person at an elevation
      // prompt may still say no: the caller must hear it as an outcome.
      if (this.#over) this.#refuse('cancel', 'this request is over');
      else if (this.mode === 'elevate') this.#decline();
      else this.#refuse('cancel', 'no flow is running');
      return;
    }
    if (!run.interrupt(OUTCOME_CODES.cancelled, 'cancelled')) {
      this.#refuse('cancel', 'the flow can no longer be cancelled: it has succeeded, or runs a session or an approved command');
    }
  }

  #power(action: PowerAction): void {
    const options = this.#options;
    if (options.mode !== 'login') {
      this.#refuse('power', 'power actions belong to the login screen');
      return;
    }
    if (!options.power.includes(action)) {
      this.#refuse('power', 'this power action is not allowed by the configuration');
      return;
    }
    if (this.#flow !== undefined) {
      this.#refuse('power', 'a flow is running');
      return;
    }
    void carryOutPower(action, options, this.#deps.runCommand, this.#log).then((ok) => {
      if (!ok) this.#emit(event({ type: 'message', kind: 'error', text: `The ${action} request failed.` }));
    });
  }

  // ------------------------------------------------------------ the end of a flow

  #finish(flow: ActiveFlow): void {
    const { run } = flow;
    const now = this.#deps.now();
    const result = run.result ?? { ok: false, code: OUTCOME_CODES.internal, reason: 'the flow ended without an outcome' };
    const delays = this.#gate.settle(run, now);
    // Every attempt that ended without success counts, not only a wrong password:
    // an account PAM refuses fails the same way each time, with or without a prompt.
    if (!result.ok && result.code !== OUTCOME_CODES.cancelled && result.code !== OUTCOME_CODES.promptTimeout) this.#failedAttempts += 1;
    const final = !result.ok && this.#endsRequest(result.code);
    if (final) this.#over = true;
    // A name typed at PAM's own prompt is reported only once it authenticated:
    // after a failure it may be a password typed into the wrong field.
    const user = run.authenticated ? (run.pamUser ?? run.requestedUser) : run.requestedUser;
    const outcome: FlowOutcome = {
      mode: this.mode,
      ...(user === undefined ? {} : { user }),
      ok: result.ok,
      code: result.code,
      reason: result.reason,
      durationMs: now - run.startedAt,
      ...(result.exitStatus === undefined ? {} : { exitStatus: result.exitStatus }),
      ...(final ? { final } : {}),
    };
    // The seat is free before anyone hears of the outcome: a UI may begin again at once.
    this.#flow = undefined;
    for (const delay of delays) this.#emit(delay);
    this.#emit(event({ type: 'phase', name: 'done' }));
    this.#emit(event({ type: 'outcome', ok: result.ok, code: result.code, reason: result.reason, ...(final ? { final } : {}) }));
    auditAttempt(this.#log, this.#options.service, outcome);
    this.#notify(() => this.#observer.outcome?.(outcome));
  }

  /** elevate, no flow running: the request is declined. */
  #decline(): void {
    const outcome: FlowOutcome = {
      mode: this.mode,
      ...(this.#fixedUser === undefined ? {} : { user: this.#fixedUser }),
      ok: false,
      code: OUTCOME_CODES.cancelled,
      reason: 'declined',
      durationMs: 0,
    };
    this.#emit(event({ type: 'phase', name: 'done' }));
    this.#emit(event({ type: 'outcome', ok: false, code: outcome.code, reason: outcome.reason }));
    auditAttempt(this.#log, this.#options.service, outcome);
    this.#notify(() => this.#observer.outcome?.(outcome));
  }

  // ------------------------------------------------------------ helpers

  /**
   * elevate: whether a failure ends the request. It does once maxAttempts
   * attempts have failed, and on PAM_ABORT, with which PAM (or a PAM
   * source that broke down) says the application must stop.
   */
  #endsRequest(code: string): boolean {
    if (this.mode !== 'elevate') return false;
    if (code === 'PAM_ABORT') return true;
    const max = this.#options.elevate?.maxAttempts;
    return max !== undefined && this.#failedAttempts >= max;
  }

  /** Says once per locale when it is not installed: PAM then speaks English. */
  #checkLocale(locale: string): void {
    if (this.#checkedLocales.has(locale)) return;
    this.#checkedLocales.add(locale);
    // English is what PAM speaks without any locale.
    if (!locale.startsWith('en_') && !this.#deps.localeAvailable(locale)) this.#log({ event: 'locale-unavailable', locale, effect: 'PAM messages stay in English' });
  }

  #refuse(request: string | undefined, message: string): void {
    this.#log({ event: 'refused', mode: this.mode, request: request ?? null, problem: message });
    this.#emit(event({ type: 'refused', ...(request === undefined ? {} : { request }), message }));
  }

  #emit(e: Event): void {
    this.#notify(() => this.#observer.event(e));
  }

  /** An observer that throws must not break a flow (or leave a transaction open). */
  #notify(call: () => void): void {
    try {
      call();
    } catch (error) {
      // The kind only: a host's error text is not known to be free of answers.
      this.#log({ event: 'observer-error', error: error instanceof Error ? error.name : typeof error });
    }
  }
}

/** The observer's log, falling back to stderr (also when the observer's own log throws). */
function logSinkOf(observer: EngineObserver): LogSink {
  const log = observer.log;
  if (log === undefined) return stderrSink;
  return (line) => {
    try {
      log.call(observer, line);
    } catch {
      stderrSink(line);
    }
  };
}

function checkOptions(options: EngineOptions): void {
  if (options.mode === 'login' && (options.login === undefined || options.login.sessions.length === 0)) {
    throw new TypeError('createEngine: login needs at least one session (options.login.sessions)');
  }
  if (!Number.isInteger(options.promptTimeoutMs) || options.promptTimeoutMs < 0) {
    throw new TypeError('createEngine: promptTimeoutMs must be a non-negative integer');
  }
  const elevate = options.elevate;
  if (elevate?.maxAttempts !== undefined && (!Number.isInteger(elevate.maxAttempts) || elevate.maxAttempts < 1)) {
    throw new TypeError('createEngine: elevate.maxAttempts must be a positive integer');
  }
  if (elevate?.confirmers !== undefined && elevate.confirmers.length === 0) {
    throw new TypeError('createEngine: elevate.confirmers must name at least one user');
  }
}
