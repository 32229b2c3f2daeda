// The engine's seam to libpam: what the flows use of a transaction, and a wrapper
// that reports every PAM call to the observer under pamtester's operation names.
import { PamError, PamTransaction } from '../../native';
import type { ChauthtokOptions, SetcredAction, StartOptions } from '../../native';
import type { CallResult, ChangePasswordOutOfProcess } from './api';

/** The part of a PamTransaction the flows use (a fake one in the engine's unit tests). */
export type PamHandle = Pick<
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

export type StartTransaction = (options: StartOptions) => Promise<PamHandle>;

export const startPamTransaction: StartTransaction = (options) => PamTransaction.start(options);

/**
 * Where an engine's PAM transactions come from: the in-process addon unless a
 * host plugs in another PAM source (polkit's helper, ...) at this seam. And how
 * an expired password is changed where pam_chauthtok cannot write the account
 * database (a process that runs as the user): the passwd source
 * (main/sources/passwd), when the host plugs it in.
 */
export interface EngineSources {
  startTransaction?: StartTransaction;
  changePasswordOutOfProcess?: ChangePasswordOutOfProcess;
}

type Report = (result: CallResult) => void;

/** pam_strerror(PAM_SUCCESS) in Linux-PAM. */
const SUCCESS_TEXT = 'Success';

/**
 * Runs one PAM call and reports its result. Calls that never got a PAM status
 * (aborted, or refused by the binding) are not reported: they are not PAM results.
 */
async function observe<T>(op: CallResult['op'], report: Report, call: () => Promise<T>): Promise<T> {
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
): Promise<ObservedTransaction> {
  const handle = await observe('start', report, () => start(options));
  return new ObservedTransaction(handle, report);
}

/** A transaction whose management calls are reported to the observer. */
export class ObservedTransaction {
  readonly #handle: PamHandle;
  readonly #report: Report;

  constructor(handle: PamHandle, report: Report) {
    this.#handle = handle;
    this.#report = report;
  }

  get failDelayMs(): number | undefined {
    return this.#handle.failDelayMs;
  }

  authenticate(): Promise<void> {
    return observe('authenticate', this.#report, () => this.#handle.authenticate());
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
    return observe('acct_mgmt', this.#report, () => this.#handle.acctMgmt());
  }

  chauthtok(options: ChauthtokOptions): Promise<void> {
    return observe('chauthtok', this.#report, () => this.#handle.chauthtok(options));
  }

  setcred(action: SetcredAction): Promise<void> {
    return observe('setcred', this.#report, () => this.#handle.setcred(action));
  }

  openSession(): Promise<void> {
    return observe('open_session', this.#report, () => this.#handle.openSession());
  }

  closeSession(): Promise<void> {
    return observe('close_session', this.#report, () => this.#handle.closeSession());
  }

  end(): Promise<void> {
    return observe('end', this.#report, () => this.#handle.end());
  }

  getItem: PamHandle['getItem'] = (name) => this.#handle.getItem(name);
  setItem: PamHandle['setItem'] = (name, value) => this.#handle.setItem(name, value);
  putenv: PamHandle['putenv'] = (nameValue) => this.#handle.putenv(nameValue);
  getenvlist: PamHandle['getenvlist'] = () => this.#handle.getenvlist();
  abort: PamHandle['abort'] = (reason) => this.#handle.abort(reason);
}
