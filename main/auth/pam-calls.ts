// The engine's seam to libpam: what the flows use of a transaction, and a wrapper
// that reports every PAM call to the observer under pamtester's operation names.
// The addon is one PAM source; others (main/sources/) implement the same seam,
// with EngineSources saying what else differs.
import { PamError, PamTransaction, constants } from '../../native';
import type { ChauthtokOptions, SetcredAction, StartOptions } from '../../native';
import type { CallResult, ChangePasswordOutOfProcess } from './api';
import type { SessionLauncher, SessionPreparer } from './session-launcher';

/** The part of a PamTransaction the flows use (a fake one in the engine's unit tests). */
export type PamHandle = Partial<Pick<PamTransaction, 'setXauthData'>> & Pick<
  PamTransaction,
  | 'authenticate'
  | 'acctMgmt'
  | 'chauthtok'
  | 'setcred'
  | 'openSession'
  | 'closeSession'
  | 'getItem'
  | 'setItem'
  | 'putenv'
  | 'getenvlist'
  | 'abort'
  | 'end'
  | 'failDelayMs'
>;

/**
 * Starts a transaction. No conversation timer of its own (the addon's
 * conversationTimeoutMs): the broker's prompt timeout is the one that ends an
 * unanswered prompt, for every PAM source.
 */
export type StartTransaction = (options: Omit<StartOptions, 'conversationTimeoutMs'>) => Promise<PamHandle>;

export const startPamTransaction: StartTransaction = (options) => PamTransaction.start(options);

/** A reported call: its operation, and for setcred which one. */
export type CallKey = Exclude<CallResult['op'], 'setcred'> | `setcred:${SetcredAction}`;

/**
 * Where an engine's PAM transactions come from, and what that source does
 * itself: the in-process addon unless a host plugs in another PAM source
 * (polkit's helper, greetd, ...) at this seam. And how an expired password is
 * changed where pam_chauthtok cannot write the account database (a process that
 * runs as the user): the passwd source (main/sources/passwd), when the host
 * plugs it in.
 */
export interface EngineSources {
  startTransaction?: StartTransaction;
  changePasswordOutOfProcess?: ChangePasswordOutOfProcess;
  /** Starts a login's session (default: run it here as the user and wait; session-launcher.ts). */
  launchSession?: SessionLauncher;
  /** Sets up what a session needs before open_session (a graphical session's X server); default: nothing. */
  prepareSession?: SessionPreparer;
  /**
   * Calls the source does not make as the flow asks (greetd opens the session only
   * after the greeter has exited): they succeed without a PAM result being reported.
   */
  unreportedCalls?: ReadonlySet<CallKey>;
}

const NOTHING_UNREPORTED: ReadonlySet<CallKey> = new Set();

type Report = (result: CallResult) => void;

/** The report of a call the source does not make: nothing. */
const IGNORE: Report = () => undefined;

/** pam_strerror(PAM_SUCCESS) in Linux-PAM. */
const SUCCESS_TEXT = 'Success';

/**
 * Runs one PAM call and reports its result. Calls that never got a PAM status
 * (aborted, or refused by the binding) are not reported: they are not PAM results.
 */
async function observe<T>(op: CallResult['op'], report: Report, call: () => Promise<T>): Promise<T> {
  if (report === IGNORE) return call();
  let value: T;
  try {
    value = await call();
  } catch (error) {
    if (error instanceof PamError) {
      report({ op, ok: false, code: error.code, errno: error.errno, message: error.message });
    }
    throw error;
  }
  report({ op, ok: true, code: 'PAM_SUCCESS', errno: 0, message: SUCCESS_TEXT });
  return value;
}

/** pam_start through `start`, reported as the 'start' operation. */
export async function startObserved(
  start: StartTransaction,
  options: StartOptions,
  report: Report,
  unreported: ReadonlySet<CallKey> = NOTHING_UNREPORTED,
): Promise<ObservedTransaction> {
  const handle = await observe('start', unreported.has('start') ? IGNORE : report, () => start(options));
  return new ObservedTransaction(handle, report, unreported);
}

/** A transaction whose management calls are reported to the observer. */
export class ObservedTransaction {
  readonly #handle: PamHandle;
  readonly #report: Report;
  readonly #unreported: ReadonlySet<CallKey>;

  constructor(handle: PamHandle, report: Report, unreported: ReadonlySet<CallKey> = NOTHING_UNREPORTED) {
    this.#handle = handle;
    this.#report = report;
    this.#unreported = unreported;
  }

  /** The observer's report for `key`, or nothing for a call the source leaves to someone else. */
  #reportFor(key: CallKey): Report {
    return this.#unreported.has(key) ? IGNORE : this.#report;
  }

  get failDelayMs(): number | undefined {
    return this.#handle.failDelayMs;
  }

  authenticate(): Promise<void> {
    return observe('authenticate', this.#reportFor('authenticate'), () => this.#handle.authenticate());
  }

  /**
   * pam_authenticate, its result reported only on `release()`: the lockout may
   * have to withhold it. Never rejects; the call's error (if any) is in `error`.
   */
  async authenticateHeld(): Promise<{ error: unknown; release(): void }> {
    let result: CallResult | undefined;
    let error: unknown;
    try {
      await observe('authenticate', (r) => (result = r), () => this.#handle.authenticate());
    } catch (caught) {
      error = caught ?? new Error('pam_authenticate failed');
    }
    return { error, release: () => result !== undefined && this.#report(result) };
  }

  acctMgmt(): Promise<void> {
    return observe('acct_mgmt', this.#reportFor('acct_mgmt'), () => this.#handle.acctMgmt());
  }

  chauthtok(options: ChauthtokOptions): Promise<void> {
    return observe('chauthtok', this.#reportFor('chauthtok'), () => this.#handle.chauthtok(options));
  }

  setcred(action: SetcredAction): Promise<void> {
    return observe('setcred', this.#reportFor(`setcred:${action}`), () => this.#handle.setcred(action));
  }

  openSession(): Promise<void> {
    return observe('open_session', this.#reportFor('open_session'), () => this.#handle.openSession());
  }

  closeSession(): Promise<void> {
    return observe('close_session', this.#reportFor('close_session'), () => this.#handle.closeSession());
  }

  end(): Promise<void> {
    return observe('end', this.#reportFor('end'), () => this.#handle.end());
  }

  getItem: PamHandle['getItem'] = (name) => this.#handle.getItem(name);
  setItem: PamHandle['setItem'] = (name, value) => this.#handle.setItem(name, value);

  /** PAM_XAUTHDATA, where the source can set it (the addon); a source without it is told PAM_BAD_ITEM. */
  setXauthData = (name: string, data: Uint8Array): Promise<void> =>
    this.#handle.setXauthData === undefined
      ? Promise.reject(new PamError(constants.PAM_BAD_ITEM!, 'setXauthData', 'this PAM source takes no X authorization'))
      : this.#handle.setXauthData(name, data);
  putenv: PamHandle['putenv'] = (nameValue) => this.#handle.putenv(nameValue);
  getenvlist: PamHandle['getenvlist'] = () => this.#handle.getenvlist();
  abort: PamHandle['abort'] = (reason) => this.#handle.abort(reason);
}
