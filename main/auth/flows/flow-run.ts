// One run of a flow: everything its steps share (the transaction, who is being
// authenticated, what has been set up and must be torn down, how it ended), and
// the two ways it can be stopped from outside (cancel / prompt timeout, close).
import { OUTCOME_CODES } from '../../protocol';
import type { Event } from '../../protocol';
import type { Answer } from '../../../native';
import type { CallResult, ChangePasswordOutOfProcess, EngineOptions, SessionChoice } from '../api';
import type { Accounts } from '../accounts';
import type { AccountLock } from '../lockout';
import { ConversationBroker, type PromptMessage } from '../broker';
import type { Log } from '../log';
import type { CallKey, ObservedTransaction, StartTransaction } from '../pam-calls';
import type { RunCommand } from '../run-command';
import type { PreparedSession, SessionLauncher, SessionPreparer } from '../session-launcher';

/** What a flow needs from the engine around it. */
export interface FlowServices {
  readonly options: EngineOptions;
  readonly startTransaction: StartTransaction;
  /** PAM calls the source leaves to someone else: not reported (see pam-calls.ts). */
  readonly unreportedCalls: ReadonlySet<CallKey>;
  /** Starts a login's session once it is open. */
  readonly launchSession: SessionLauncher;
  /** Prepares a login's session before open_session (an X server), when there is a preparer. */
  readonly prepareSession?: SessionPreparer;
  readonly accounts: Accounts;
  readonly runCommand: RunCommand;
  /** The engine's own lockout, when it is the lockout's mechanism. */
  readonly lockout: AccountLock | undefined;
  /** Whether the engine runs as root (elevate: admin identities). */
  readonly runningAsRoot: boolean;
  /** The user the engine's process runs as. */
  readonly processUser: string;
  /** The password change through passwd (flows/password-change.ts), when the host plugged it in. */
  readonly changePasswordOutOfProcess?: ChangePasswordOutOfProcess;
  now(): number;
  emit(event: Event): void;
  report(result: CallResult): void;
  log: Log;
  nextBatchId(): string;
}

const LOCKED_OUT_REASON = 'too many failed attempts: try again later';

/**
 * PAM_USER_PROMPT while nobody is named (libpam's own default text): the
 * answer to the echo-on prompt with this text is the name PAM asked for.
 */
export const USER_PROMPT = 'login:';

export interface FlowRequest {
  /** The user the flow is for when known before PAM runs (chosen in the UI, or fixed). */
  user?: string;
  /** login: the session to start. */
  session?: SessionChoice;
  /** The POSIX locale libpam speaks during the flow (absent: C, English). */
  locale?: string;
  /** login: the person chose this locale on the screen; the session gets it as LANG. */
  sessionLocale?: string;
}

export interface FlowResult {
  ok: boolean;
  /** 'PAM_SUCCESS', a PAM code name, or one of OUTCOME_CODES. */
  code: string;
  reason: string;
  exitStatus?: number;
}

export class FlowRun {
  readonly services: FlowServices;
  readonly broker: ConversationBroker;
  readonly startedAt: number;
  readonly requestedUser: string | undefined;
  readonly session: SessionChoice | undefined;
  readonly locale: string | undefined;
  readonly sessionLocale: string | undefined;
  /** pam_chauthtok calls made so far in this flow. */
  passwordChanges = 0;

  tx: ObservedTransaction | undefined;
  /** PAM_USER as PAM left it (PAM may have asked for it, or a module changed it). */
  pamUser: string | undefined;
  authenticated = false;
  /** Set when pam_authenticate failed: the delay the modules asked for. */
  authFailure: { failDelayMs: number } | undefined;
  /** Set when the engine's lockout turned the flow away or withheld PAM's answer. */
  lockedUntil: number | undefined;
  /** Set when this flow's failure started a lock. */
  lockStartedUntil: number | undefined;
  /** PAM_USER_PROMPT was set to USER_PROMPT at pam_start (nobody was named). */
  userPromptSet = false;
  /** Cleanup still owed (login). Each is cleared before the call that undoes it. */
  credentialsEstablished = false;
  sessionOpen = false;
  /** What the preparer set up for the session (its X server): released after close_session. */
  preparedSession: PreparedSession | undefined;
  result: FlowResult | undefined;

  #interruptible = true;
  #interrupted = false;
  readonly #stop = new AbortController();
  readonly #interruption = new AbortController();

  constructor(services: FlowServices, request: FlowRequest) {
    this.services = services;
    this.startedAt = services.now();
    this.requestedUser = request.user;
    this.session = request.session;
    this.locale = request.locale;
    this.sessionLocale = request.sessionLocale;
    this.broker = new ConversationBroker({
      promptTimeoutMs: services.options.promptTimeoutMs,
      emit: services.emit,
      nextBatchId: services.nextBatchId,
      log: services.log,
      onTimeout: () => this.#onPromptTimeout(),
      vet: (prompts, answers) => this.#vetAnswers(prompts, answers),
    });
  }

  get options(): EngineOptions {
    return this.services.options;
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Aborted when the engine closes during a session or an approved command. */
  get stopSignal(): AbortSignal {
    return this.#stop.signal;
  }

  /** Aborted when the flow is interrupted (cancel, prompt timeout, close): stops work outside PAM. */
  get interruptSignal(): AbortSignal {
    return this.#interruption.signal;
  }

  /** The user whose account the flow acts on: PAM's word once it has spoken. */
  get user(): string | undefined {
    return this.pamUser ?? this.requestedUser;
  }

  /** The running transaction; a step that needs one when there is none is a bug. */
  transaction(): ObservedTransaction {
    if (this.tx === undefined) throw new Error('no PAM transaction is open');
    return this.tx;
  }

  /** Takes the transaction pam_start returned; aborts it at once if the flow was interrupted meanwhile. */
  attach(tx: ObservedTransaction): void {
    this.tx = tx;
    if (this.#interrupted) tx.abort(new Error('the flow was interrupted'));
  }

  /** Records a failure. The first failure is the flow's outcome; it outranks an earlier success. */
  fail(code: string, reason: string): void {
    if (this.result === undefined || this.result.ok) this.result = { ok: false, code, reason };
  }

  /** Records success; from then on the flow cannot be cancelled (what is left is pam_end). */
  succeed(reason: string, exitStatus?: number): void {
    if (this.result !== undefined) return;
    this.result = { ok: true, code: 'PAM_SUCCESS', reason, ...(exitStatus === undefined ? {} : { exitStatus }) };
    this.#interruptible = false;
  }

  /**
   * Turns the flow away when the engine's lockout holds `user`'s account.
   * Returns true when it did: the outcome is LOCKED_OUT, whatever PAM said or
   * would say.
   */
  async lockedOut(user: string | undefined): Promise<boolean> {
    if (user === undefined || this.services.lockout === undefined) return false;
    const until = await this.services.lockout.lockedUntil(user);
    if (until === undefined) return false;
    this.lockedUntil = until;
    this.fail(OUTCOME_CODES.lockedOut, LOCKED_OUT_REASON);
    return true;
  }

  /**
   * From here on the flow has set up things that must be torn down (credentials,
   * a session): cancel and prompt timeouts no longer abort the transaction.
   */
  holdInterrupts(): void {
    this.#interruptible = false;
  }

  /**
   * Cancel or prompt timeout: aborts the transaction (its running call rejects,
   * its pending conversation fails) so the flow goes straight to pam_end.
   * Returns false once the flow holds interrupts.
   */
  interrupt(code: string, reason: string): boolean {
    if (this.#interrupted) return true;
    if (!this.#interruptible) return false;
    this.#interrupted = true;
    this.fail(code, reason);
    this.tx?.abort(new Error(reason));
    this.#interruption.abort(new Error(reason));
    return true;
  }

  /** The engine is closing: interrupt, or else stop the session / approved command. */
  shutdown(): void {
    if (this.interrupt(OUTCOME_CODES.cancelled, 'the engine was closed')) return;
    this.#stop.abort(new Error('the engine was closed'));
    this.broker.failPending(new Error('the engine was closed'));
  }

  /**
   * The lockout looks at the name the moment PAM has asked for it: a locked
   * account's flow stops before PAM goes on (and asks for a password).
   */
  async #vetAnswers(prompts: PromptMessage[], answers: Answer[]): Promise<boolean> {
    if (!this.userPromptSet || this.services.lockout === undefined) return true;
    const prompt = prompts.length === 1 ? prompts[0] : undefined;
    if (prompt === undefined || prompt.style !== 'echo-on' || prompt.text !== USER_PROMPT) return true;
    const answer = answers[prompt.slot];
    if (answer === null || answer === undefined) return true;
    const name = typeof answer === 'string' ? answer : Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength).toString('utf8');
    if (name === '' || !(await this.lockedOut(name))) return true;
    this.interrupt(OUTCOME_CODES.lockedOut, LOCKED_OUT_REASON);
    return false;
  }

  #onPromptTimeout(): void {
    const ms = this.options.promptTimeoutMs;
    const reason = `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`;
    if (this.interrupt(OUTCOME_CODES.promptTimeout, reason)) return;
    // Cleanup is under way: fail only the conversation; the module decides.
    this.broker.failPending(new Error(reason));
  }
}
