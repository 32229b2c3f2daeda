// A stand-in for PamTransaction at the engine's own seam (pam-calls.ts), for the
// state machine's edges that real modules do not produce on demand: a failing
// setcred, a pam_start that is slow, a call that throws something unexpected.
// Every capability these tests cover is also tested through real libpam.
import type { Conversation, ItemName, StartOptions } from '../../../native';
import { PamError, PamStateError, constants } from '../../../native';
import type { PamHandle, StartTransaction } from '../pam-calls';

type Operation = 'authenticate' | 'acctMgmt' | 'chauthtok' | 'setcred' | 'openSession' | 'closeSession' | 'getenvlist';

/** What a call does: resolve (default), fail with a PAM code, or run a function. */
export type Behaviour = string | ((tx: FakeTransaction) => Promise<unknown>);

export function pamError(code: string, operation: string, extra: { failDelayMs?: number } = {}): PamError {
  const errno = constants[code];
  if (errno === undefined) throw new Error(`unknown PAM code ${code}`);
  return new PamError(errno, operation, code, extra);
}

export class FakeTransaction implements PamHandle {
  readonly calls: string[] = [];
  readonly conversation: Conversation;
  readonly user: string | undefined;
  pamUser: string | null;
  failDelayMs: number | undefined;
  readonly env: Record<string, string> = {};
  #aborted: ((reason: unknown) => void) | undefined;
  #abortReason: unknown;
  readonly #behaviour: Partial<Record<Operation, Behaviour>>;

  constructor(options: StartOptions, behaviour: Partial<Record<Operation, Behaviour>>) {
    this.conversation = options.conversation;
    this.user = options.user;
    this.pamUser = options.user ?? null;
    this.#behaviour = behaviour;
  }

  /** Asks the conversation, as a module would. */
  converse: Conversation = (messages, ctx) => this.conversation(messages, ctx);

  async #run(name: Operation, label: string = name): Promise<unknown> {
    this.calls.push(label);
    if (this.#abortReason !== undefined) throw new PamStateError('ABORT_ERR', `${name}: aborted`);
    const behaviour = this.#behaviour[name];
    if (behaviour === undefined) return undefined;
    const work =
      typeof behaviour === 'string'
        ? Promise.reject(pamError(behaviour, name))
        : behaviour(this);
    // Like the binding: abort() rejects the running call at once.
    const aborted = new Promise<never>((_, reject) => (this.#aborted = reject));
    try {
      return await Promise.race([work, aborted]);
    } finally {
      this.#aborted = undefined;
    }
  }

  authenticate = async () => void (await this.#run('authenticate'));
  acctMgmt = async () => void (await this.#run('acctMgmt'));
  chauthtok = async () => void (await this.#run('chauthtok'));
  setcred = async (action: string) => void (await this.#run('setcred', `setcred ${action}`));
  openSession = async () => void (await this.#run('openSession'));
  closeSession = async () => void (await this.#run('closeSession'));
  getenvlist = async () => {
    const result = await this.#run('getenvlist');
    return (result as Record<string, string> | undefined) ?? { ...this.env };
  };
  getItem = async (name: ItemName) => (name === 'user' ? this.pamUser : null);
  setItem = async (name: ItemName, value: string) => {
    this.calls.push(`setItem ${name}=${value}`);
  };
  /** What PAM_XAUTHDATA got, copied as the addon copies it. */
  xauthData: Uint8Array | undefined;
  setXauthData = async (name: string, data: Uint8Array) => {
    this.calls.push(`setXauthData ${name} ${data.length}`);
    this.xauthData = Uint8Array.from(data);
  };
  putenv = async (nameValue: string) => {
    this.calls.push(`putenv ${nameValue}`);
    const eq = nameValue.indexOf('=');
    if (eq > 0) this.env[nameValue.slice(0, eq)] = nameValue.slice(eq + 1);
  };
  abort = (reason?: unknown) => {
    this.calls.push('abort');
    this.#abortReason = reason ?? new Error('aborted');
    this.#aborted?.(new PamStateError('ABORT_ERR', 'aborted', { cause: reason }));
  };
  end = async () => {
    this.calls.push('end');
  };
}

/** A StartTransaction that makes FakeTransactions with `behaviour`, keeping each. */
export function fakeStarter(behaviour: Partial<Record<Operation, Behaviour>> = {}, startDelay?: Promise<void>) {
  const started: FakeTransaction[] = [];
  const calls = { count: 0 };
  const start: StartTransaction = async (options) => {
    calls.count += 1;
    await startDelay;
    const tx = new FakeTransaction(options, behaviour);
    started.push(tx);
    return tx;
  };
  return { start, started, calls };
}
