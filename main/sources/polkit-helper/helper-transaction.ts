// polkit-agent-helper-1 as a PAM source for the engine: a transaction at the seam
// in main/auth/pam-calls.ts (StartTransaction / PamHandle) whose authentication is
// one run of the system's setuid helper. polkitd trusts only that helper: it runs
// the `polkit-1` PAM stack itself and, when the person authenticated, tells
// polkitd so (AuthenticationAgentResponse2) with the request's cookie. The engine
// sees the helper's conversation as PAM's, so the same protocol events and UI
// serve it as every other conversation.
//
//   authenticate   runs the helper to its verdict: prompts and messages go
//                  through the engine's conversation, answers to the helper's stdin
//   acctMgmt       the helper's pam_acct_mgmt result (it runs both before SUCCESS)
//   getItem(user)  the user the helper authenticated (it checks PAM_USER itself)
//   abort / end    stop the helper (SIGTERM, then SIGKILL)
//
// A helper that dies, hangs, or says something outside its protocol fails the
// call with PAM_ABORT: the request cannot go on, and the engine ends it.
import { constants, PamError, PamStateError } from '../../../native';
import type { Answer, Conversation, PamMessage, StartOptions } from '../../../native';
import type { PamHandle, StartTransaction } from '../../auth/pam-calls';
import type { Log } from '../../auth/log';
import { classifyFailure, helperDiagnostics, type HelperFailure } from './failure-reason';
import { findHelper, HelperProcess, type HelperExit } from './helper-process';
import { helperAnswerProblem, parseHelperLine, type HelperLine } from './line-protocol';

export interface PolkitHelperOptions {
  /** The cookie of the request (BeginAuthentication's), handed to the helper on stdin. */
  cookie: string;
  /** The helper to run; default: the installed one (HELPER_PATHS). */
  helperPath?: string;
  /**
   * How long the helper may stay silent while no prompt waits for the person
   * (a module stuck on the network, a D-Bus call that never returns). Default 90 s:
   * fingerprint modules wait about 30 s for a finger after their message.
   */
  silenceTimeoutMs?: number;
  /** Diagnostics: how each helper run ended, and the helper's own stderr lines (never a module's). */
  log?: Log;
}

export const DEFAULT_SILENCE_TIMEOUT_MS = 90_000;
/** After FAILURE, how long to wait for the helper to exit (and finish its stderr). */
const EXIT_WAIT_MS = 2000;

/** The PAM service the helper runs (fixed in the helper). */
export const HELPER_SERVICE = 'polkit-1';

type Verdict = { kind: 'success' } | { kind: 'failure'; failure: HelperFailure } | { kind: 'broken'; reason: string };

/** A StartTransaction whose transactions authenticate through polkit-agent-helper-1. */
export function polkitHelperSource(options: PolkitHelperOptions): StartTransaction {
  return async (start: StartOptions) => {
    if (start.user === undefined || start.user === '') {
      throw new PamError(constants.PAM_USER_UNKNOWN!, 'start', 'the authentication helper needs the user to authenticate as');
    }
    const helperPath = options.helperPath ?? findHelper();
    if (helperPath === undefined) {
      throw new PamError(constants.PAM_ABORT!, 'start', 'polkit-agent-helper-1 is not installed (package polkitd)');
    }
    return new HelperTransaction({ ...options, helperPath }, start.user, start.conversation);
  };
}

class HelperTransaction implements PamHandle {
  readonly #options: PolkitHelperOptions & { helperPath: string };
  readonly #user: string;
  readonly #conversation: Conversation;
  readonly #stop = new AbortController();
  #state: 'open' | 'aborted' | 'ended' = 'open';
  #helper: HelperProcess | undefined;
  #verdict: Verdict | undefined;

  constructor(options: PolkitHelperOptions & { helperPath: string }, user: string, conversation: Conversation) {
    this.#options = options;
    this.#user = user;
    this.#conversation = conversation;
  }

  /** The helper sleeps for PAM's fail delay itself before it says FAILURE: nothing is left to wait. */
  get failDelayMs(): number | undefined {
    return undefined;
  }

  async authenticate(): Promise<void> {
    this.#assertOpen('authenticate');
    if (this.#helper !== undefined) throw new PamError(constants.PAM_SYSTEM_ERR!, 'authenticate', 'the helper has run already');
    const helper = HelperProcess.start(this.#options.helperPath, this.#user, this.#options.cookie);
    this.#helper = helper;
    let verdict: Verdict;
    try {
      verdict = await this.#converse(helper);
    } catch (error) {
      await helper.stop();
      if (this.#stop.signal.aborted) throw new PamStateError('ABORT_ERR', 'authenticate: the PAM transaction was aborted', { cause: error });
      // The conversation failed (no answer in time, the UI gone): as in PAM, PAM_CONV_ERR.
      this.#report('conversation-failed', await helper.exited);
      throw new PamError(constants.PAM_CONV_ERR!, 'authenticate', 'Conversation error', { conversationError: describeError(error) });
    }
    // After its verdict the helper flushes, waits 100 ms and exits by itself.
    await withTimeout(helper.exited, EXIT_WAIT_MS);
    const exit = await helper.stop();
    this.#verdict = verdict;
    switch (verdict.kind) {
      case 'success':
        return;
      case 'failure': {
        this.#report('failure', exit);
        const failure = verdict.failure;
        if (failure.stage === 'account') return; // acctMgmt reports it
        if (failure.stage === 'helper') throw abort(`the authentication helper failed: ${failure.message}`);
        throw new PamError(errnoOf(failure.code), 'authenticate', failure.message);
      }
      case 'broken':
        this.#report('broken', exit, verdict.reason);
        throw abort(verdict.reason);
    }
  }

  async acctMgmt(): Promise<void> {
    this.#assertOpen('acctMgmt');
    const verdict = this.#verdict;
    if (verdict?.kind === 'success') return;
    if (verdict?.kind === 'failure' && verdict.failure.stage === 'account') {
      throw new PamError(errnoOf(verdict.failure.code), 'acctMgmt', verdict.failure.message);
    }
    throw new PamError(constants.PAM_SYSTEM_ERR!, 'acctMgmt', 'the account was not checked: the person did not authenticate');
  }

  async chauthtok(): Promise<void> {
    this.#assertOpen('chauthtok');
    throw new PamError(
      constants.PAM_AUTHTOK_ERR!,
      'chauthtok',
      'the password has expired, and polkit cannot change it: change it first (passwd), then try again',
    );
  }

  async setcred(): Promise<void> {
    throw this.#unsupported('setcred');
  }

  async openSession(): Promise<void> {
    throw this.#unsupported('openSession');
  }

  async closeSession(): Promise<void> {
    throw this.#unsupported('closeSession');
  }

  async getItem(name: Parameters<PamHandle['getItem']>[0]): Promise<string | null> {
    if (name === 'user') return this.#user;
    if (name === 'service') return HELPER_SERVICE;
    return null;
  }

  async setItem(): Promise<void> {
    throw new PamError(constants.PAM_BAD_ITEM!, 'setItem', 'the authentication helper takes no PAM items');
  }

  async putenv(): Promise<void> {
    throw new PamError(constants.PAM_BAD_ITEM!, 'putenv', 'the authentication helper keeps no PAM environment');
  }

  async getenvlist(): Promise<Record<string, string>> {
    return {};
  }

  abort(reason?: unknown): void {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#stop.abort(reason);
    void this.#helper?.stop();
  }

  async end(): Promise<void> {
    if (this.#state === 'open') this.#stop.abort(new Error('the transaction was ended'));
    this.#state = 'ended';
    await this.#helper?.stop();
  }

  // ------------------------------------------------------------ the conversation

  async #converse(helper: HelperProcess): Promise<Verdict> {
    // A helper that dies while a prompt waits for the person must end the wait:
    // the conversation is aborted when it exits, as when the transaction is.
    const gone = new AbortController();
    void helper.exited.then(() => gone.abort(new Error('the authentication helper exited')));
    const signal = AbortSignal.any([this.#stop.signal, gone.signal]);
    try {
      return await this.#converseUntilVerdict(helper, signal);
    } catch (error) {
      if (!gone.signal.aborted || this.#stop.signal.aborted) throw error;
      const exit = await helper.exited;
      return { kind: 'broken', reason: `the authentication helper stopped before it said how the authentication went (${exitText(exit)})` };
    }
  }

  async #converseUntilVerdict(helper: HelperProcess, signal: AbortSignal): Promise<Verdict> {
    for (;;) {
      const read = await this.#nextLine(helper);
      if (read === 'silent') {
        const seconds = Math.round((this.#options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS) / 1000);
        return { kind: 'broken', reason: `the authentication helper did not answer within ${seconds} s` };
      }
      if ('end' in read) {
        if (read.end === 'too-long') return { kind: 'broken', reason: 'the authentication helper sent a line too long to be its protocol' };
        const exit = await helper.exited;
        return { kind: 'broken', reason: `the authentication helper stopped before it said how the authentication went (${exitText(exit)})` };
      }
      const line: HelperLine = parseHelperLine(read.line);
      read.line.fill(0);
      switch (line.kind) {
        case 'message':
          await this.#conversation([{ style: line.style, text: line.text }], { signal });
          break;
        case 'prompt':
          helper.writeAnswer(await this.#ask({ style: line.style, text: line.text }, signal));
          break;
        case 'success':
          return { kind: 'success' };
        case 'failure':
          // Its stderr (the reason) is complete once it has exited.
          await withTimeout(helper.exited, EXIT_WAIT_MS);
          return { kind: 'failure', failure: classifyFailure(helper.stderr) };
        case 'unknown':
          return { kind: 'broken', reason: 'the authentication helper sent a line that is not its protocol' };
      }
    }
  }

  /**
   * Asks the person `prompt` until the answer is one the helper can take as one
   * line; an unusable answer is refused with an error message and asked again.
   */
  async #ask(prompt: PamMessage, signal: AbortSignal): Promise<string | Uint8Array> {
    let messages: PamMessage[] = [prompt];
    for (;;) {
      const answers: Answer[] = await this.#conversation(messages, { signal });
      const answer = answers[messages.length - 1];
      answers.fill(null);
      // Text or its bytes (the engine's hosts hand over bytes, zeroed once written).
      const problem = typeof answer === 'string' || answer instanceof Uint8Array ? helperAnswerProblem(answer) : 'the answer is not text';
      if (problem === undefined) return answer as string | Uint8Array;
      if (answer instanceof Uint8Array) answer.fill(0);
      messages = [{ style: 'error', text: `${capitalise(problem)}. Try again.` }, prompt];
    }
  }

  /** The helper's next line, unless it stays silent too long or the transaction is aborted. */
  #nextLine(helper: HelperProcess): Promise<Awaited<ReturnType<HelperProcess['read']>> | 'silent'> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => finish(() => reject(signal.reason));
      const timer = setTimeout(() => finish(() => resolve('silent')), this.#options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      helper.read().then(
        (read) => finish(() => resolve(read)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  // ------------------------------------------------------------ helpers

  #assertOpen(operation: string): void {
    if (this.#state === 'aborted') throw new PamStateError('ABORT_ERR', `${operation}: the PAM transaction was aborted`);
    if (this.#state === 'ended') throw new PamStateError('ERR_PAM_ENDED', `${operation}: the PAM transaction has ended`);
  }

  #unsupported(operation: string): PamError {
    return new PamError(constants.PAM_SYSTEM_ERR!, operation, `the authentication helper does not ${operation}`);
  }

  #report(result: string, exit: HelperExit, reason?: string): void {
    this.#options.log?.({
      event: 'polkit-helper',
      result,
      ...(reason === undefined ? {} : { reason }),
      user: this.#user,
      exit: exitText(exit),
      helper: helperDiagnostics(this.#helper?.stderr ?? ''),
    });
  }
}

function abort(reason: string): PamError {
  return new PamError(constants.PAM_ABORT!, 'authenticate', reason);
}

function errnoOf(code: string): number {
  return constants[code] ?? constants.PAM_AUTH_ERR!;
}

function exitText(exit: HelperExit): string {
  if (exit.spawnError !== undefined) return `not started: ${exit.spawnError}`;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit status ${exit.code ?? 'unknown'}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : typeof error;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
