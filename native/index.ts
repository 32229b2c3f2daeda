// gatehouse/pam: the typed face of the libpam addon and the only door into it.
//
// Every pam_* call of a transaction runs on that transaction's own native thread;
// each method here submits one call and settles when the thread has finished it.
// The conversation function is called on the JS thread with a whole batch of
// messages and must return exactly one answer per message.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type MessageStyle = 'echo-off' | 'echo-on' | 'error' | 'info' | 'radio' | 'binary';

export interface PamMessage {
  style: MessageStyle;
  /**
   * The module's text, as sent (invalid UTF-8 becomes U+FFFD; texts longer than
   * 64 KiB are cut there). Empty for binary prompts.
   */
  text: string;
  /**
   * Binary prompts only: the whole Linux-PAM binary prompt as the module sent it
   * (a 4-byte big-endian length including the 5-byte header, a control byte, the data).
   */
  data?: Uint8Array;
}

/**
 * One answer per message: text (or raw bytes) for prompts, null for info / error
 * messages. A Uint8Array answer is zeroed as soon as the addon has copied it into
 * its secure memory (or refused it): the way to hand over an answer without
 * leaving a copy in JS. A string cannot be wiped.
 */
export type Answer = string | Uint8Array | null;

export interface ConversationContext {
  /** Aborted when the transaction is aborted or ended, or the conversation times out. */
  signal: AbortSignal;
}

export type Conversation = (
  messages: PamMessage[],
  ctx: ConversationContext,
) => Answer[] | Promise<Answer[]>;

export type ItemName =
  | 'service'
  | 'user'
  | 'tty'
  | 'rhost'
  | 'ruser'
  | 'user_prompt'
  | 'xdisplay'
  | 'authtok_type';

export interface StartOptions {
  service: string;
  user?: string;
  /** A directory of service files read instead of /etc/pam.d (pam_start_confdir). */
  confDir?: string;
  conversation: Conversation;
  /** A conversation not answered within this time fails with PAM_CONV_ERR. Default: no limit. */
  conversationTimeoutMs?: number;
  /**
   * The language libpam and the modules speak in this transaction (a locale name
   * such as de_DE.UTF-8): every call runs with it as its thread's locale. A locale
   * that is not installed leaves them in English (see localeAvailable).
   */
  locale?: string;
}

export interface AuthOptions {
  silent?: boolean;
  disallowNullAuthtok?: boolean;
}

export interface ChauthtokOptions {
  silent?: boolean;
  changeExpiredAuthtok?: boolean;
}

export interface SilentOption {
  silent?: boolean;
}

export type SetcredAction = 'establish' | 'delete' | 'reinitialize' | 'refresh';

/** What a finished call reports (native/src/js_events.h): the value of getItem, getenv, getenvlist. */
type NativeValue = string | string[] | undefined;

/** Only when a call failed, a module asked for a fail delay or a conversation failed. */
interface NativeDetails {
  statusText?: string;
  delayUsec?: number;
  conversationError?: string;
}

// The receivers of native events, called with the transaction as `this`.
type OnDone = (this: PamTransaction, opId: number, status: number, value: NativeValue, details: NativeDetails | undefined) => void;
/** The batch is flat: per message its style number, then its text (a Buffer for a binary prompt). */
type OnConversation = (this: PamTransaction, conversationId: number, batch: (number | string | Uint8Array)[]) => void;

interface NativeHandle {
  start(opId: number, service: string, user: string | null, confDir: string | null, locale: string | null): void;
  run(opId: number, operationCode: number, flags: number): void;
  getItem(opId: number, item: number): void;
  setItem(opId: number, item: number, value: string): void;
  setXauthData(opId: number, name: string, data: Uint8Array): void;
  getenv(opId: number, name: string): void;
  putenv(opId: number, nameValue: string): void;
  getenvlist(opId: number): void;
  end(opId: number, status: number): void;
  respond(conversationId: number, answers: unknown): void;
  failConversation(conversationId: number, reason: string): void;
  abort(): void;
}

interface NativeAddon {
  /**
   * The handle holds `owner` weakly (an abandoned transaction is collected and
   * ended natively) and reports to the receivers registered as `receiversId`.
   */
  PamHandle: new (owner: object, receiversId: number, conversationTimeoutMs: number) => NativeHandle;
  registerReceivers(onDone: OnDone, onConversation: OnConversation): number;
  operationCodes: Readonly<Record<string, number>>;
  styleNames: Readonly<Record<number, MessageStyle>>;
  constants: Readonly<Record<string, number>>;
  returnCodeNames: Readonly<Record<number, string>>;
  hasStartConfdir: boolean;
  localeAvailable(name: string): boolean;
  napiVersion: number;
  shutdown(): void;
  peerCredentials(fd: number): PeerCredentials;
  makeUndumpable(): boolean;
  processDumpable(): boolean;
  secureMemory(): SecureMemoryStats;
}

/** What the addon's secure memory (where it keeps every copy of an answer) holds. */
export interface SecureMemoryStats {
  /** Reserved for secrets, in all. */
  mappedBytes: number;
  /** Of which locked in RAM (mlock; 0 when RLIMIT_MEMLOCK allows none). */
  lockedBytes: number;
  /** Of which excluded from core dumps (MADV_DONTDUMP). */
  dontdumpBytes: number;
}

function loadAddon(): NativeAddon {
  const require = createRequire(__filename);
  const name = join('build', 'Release', 'gatehouse_pam.node');
  // From source (native/index.ts), compiled (dist/native/index.js), or packaged
  // in an asar archive (the .node file lives beside it, unpacked).
  const candidates = [join(__dirname, name), join(__dirname, '..', '..', 'native', name)].map((p) => p.replace(/\bapp\.asar\b(?!\.unpacked)/, 'app.asar.unpacked'));
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `gatehouse/pam: the native addon is not built (looked in ${candidates.join(', ')}); run \`npm run build\``,
    );
  }
  return require(found) as NativeAddon;
}

const addon = loadAddon();

// process.exit() ends the process without tearing the environment down, so the
// addon's own teardown would not run: end every open transaction here instead
// (aborted, pam_end on its own thread, a bounded wait for the threads).
process.once('exit', () => addon.shutdown());

/**
 * Makes this process non-dumpable (prctl PR_SET_DUMPABLE 0): no core file on a
 * crash, and neither its own user nor that user's processes may ptrace it or
 * read its memory through /proc (root still can). Every process that sees an
 * answer calls this first: `gatehouse check`, `gatehouse serve`, the Electron
 * main process, askpass, and any other host of the engine. Throws if prctl fails.
 */
export function makeProcessUndumpable(): void {
  addon.makeUndumpable();
}

/** Whether this process is dumpable (prctl PR_GET_DUMPABLE). */
export function processDumpable(): boolean {
  return addon.processDumpable();
}

/** The addon's secure memory: how much is reserved, locked and excluded from core dumps. */
export function secureMemoryStats(): SecureMemoryStats {
  return addon.secureMemory();
}

/** Every PAM_* number the Linux-PAM headers define (return codes, flags, items, styles). */
export const constants: Readonly<Record<string, number>> = addon.constants;

/** Whether this libpam has pam_start_confdir (needed for `confDir`). */
export const hasStartConfdir: boolean = addon.hasStartConfdir;

/** Who connected to a Unix socket, as the kernel recorded it at connect() time. */
export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

/**
 * SO_PEERCRED of a connected Unix stream socket's file descriptor. Throws (with
 * `code`: 'EBADF', 'ENOTSOCK', 'ERR_NOT_UNIX_SOCKET', ...) for anything else.
 */
export function peerCredentials(fd: number): PeerCredentials {
  return addon.peerCredentials(fd);
}

/** Locale names start() accepts: a name such as de_DE.UTF-8 (never a path). */
const LOCALE_NAME = /^[A-Za-z0-9_@-][A-Za-z0-9_.@-]{0,63}$/;

/** Whether the locale is installed, so that a transaction started with it speaks its language. */
export function localeAvailable(name: string): boolean {
  return typeof name === 'string' && LOCALE_NAME.test(name) && addon.localeAvailable(name);
}

/** 'PAM_AUTH_ERR' for 7, and so on; 'PAM_UNKNOWN_ERROR' for a number libpam does not define. */
export function pamCodeName(errno: number): string {
  return addon.returnCodeNames[errno] ?? 'PAM_UNKNOWN_ERROR';
}

/** A PAM call that did not return PAM_SUCCESS. */
export class PamError extends Error {
  /** The PAM name of the result, e.g. 'PAM_AUTH_ERR'. */
  readonly code: string;
  /** The numeric PAM return code. */
  readonly errno: number;
  /** The call that failed: 'start', 'authenticate', 'acctMgmt', ... */
  readonly operation: string;
  /** The delay a module asked for during this call (see PamTransaction.failDelayMs). */
  readonly failDelayMs?: number;
  /** Why a conversation of this call failed on the application's side, if it did. */
  readonly conversationError?: string;

  constructor(
    errno: number,
    operation: string,
    message: string,
    extra: { failDelayMs?: number; conversationError?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'PamError';
    this.code = pamCodeName(errno);
    this.errno = errno;
    this.operation = operation;
    if (extra.failDelayMs !== undefined) this.failDelayMs = extra.failDelayMs;
    if (extra.conversationError !== undefined) this.conversationError = extra.conversationError;
  }
}

/** A call on a transaction that cannot take it now (ended, busy, aborted). */
export class PamStateError extends Error {
  readonly code: 'ERR_PAM_ENDED' | 'ERR_PAM_BUSY' | 'ABORT_ERR';
  constructor(code: PamStateError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code === 'ABORT_ERR' ? 'AbortError' : 'PamStateError';
    this.code = code;
  }
}

const ITEMS: Record<ItemName, string> = {
  service: 'PAM_SERVICE',
  user: 'PAM_USER',
  tty: 'PAM_TTY',
  rhost: 'PAM_RHOST',
  ruser: 'PAM_RUSER',
  user_prompt: 'PAM_USER_PROMPT',
  xdisplay: 'PAM_XDISPLAY',
  authtok_type: 'PAM_AUTHTOK_TYPE',
};

const SETCRED_ACTIONS: Record<SetcredAction, string> = {
  establish: 'PAM_ESTABLISH_CRED',
  delete: 'PAM_DELETE_CRED',
  reinitialize: 'PAM_REINITIALIZE_CRED',
  refresh: 'PAM_REFRESH_CRED',
};

function constant(name: string): number {
  const value = constants[name];
  if (value === undefined) throw new Error(`libpam headers define no ${name}`);
  return value;
}

/** Turns an options object into PAM flags; anything unexpected is a TypeError. */
function flagsFrom(options: unknown, allowed: Record<string, string>, what: string): number {
  if (options === undefined) return 0;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${what}: options must be an object`);
  }
  let flags = 0;
  for (const [key, value] of Object.entries(options)) {
    const flagName = allowed[key];
    if (flagName === undefined) throw new TypeError(`${what}: unknown option '${key}'`);
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new TypeError(`${what}: option '${key}' must be a boolean`);
    if (value) flags |= constant(flagName);
  }
  return flags;
}

const AUTH_FLAGS = { silent: 'PAM_SILENT', disallowNullAuthtok: 'PAM_DISALLOW_NULL_AUTHTOK' };
const CHAUTHTOK_FLAGS = { silent: 'PAM_SILENT', changeExpiredAuthtok: 'PAM_CHANGE_EXPIRED_AUTHTOK' };
const SILENT_FLAG = { silent: 'PAM_SILENT' };

// The calls whose result is pam_end's default status (not item or env calls).
const MANAGEMENT_CALLS = new Set(['authenticate', 'acctMgmt', 'chauthtok', 'setcred', 'openSession', 'closeSession']);

/** A call in flight. The record of the running (non-end) call is reused from call to call. */
class PendingCall {
  opId = 0;
  operation = '';
  resolve: (value: NativeValue) => void = noop;
  reject: (error: unknown) => void = noop;
  settled = false;
  /** What the application's side did wrong in a conversation of this call. */
  conversationFailure: unknown = undefined;
}

/**
 * The context a conversation function gets. Its AbortController is made only if
 * the function reads `signal`: most never do, and a controller with its signal is
 * the costliest object of a conversation.
 */
class ConversationScope implements ConversationContext {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  static aborted(scope: ConversationScope): boolean {
    return scope.#aborted;
  }

  static abort(scope: ConversationScope, reason: unknown): void {
    if (scope.#aborted) return;
    scope.#aborted = true;
    scope.#reason = reason;
    scope.#controller?.abort(reason);
  }
}

// Transactions with a call in flight are kept alive here: a call must settle even
// if its caller dropped every other reference to the transaction. Each knows its
// slot, so joining and leaving are an array store, not a hash-set insert and delete.
const busyTransactions: PamTransaction[] = [];

const OPERATION_CODES = addon.operationCodes;
const STYLE_NAMES = addon.styleNames;

/** One PAM transaction (pam_start ... pam_end) on its own native thread. */
export class PamTransaction implements AsyncDisposable {
  readonly #handle: NativeHandle;
  readonly #conversation: Conversation;
  readonly #conversationTimeoutMs: number;
  /** The call other than end that is in flight (at most one), and end's. */
  #running: PendingCall | undefined;
  #ending: PendingCall | undefined;
  #spareRecord: PendingCall | undefined;
  #busySlot = -1;
  /** The conversations waiting for the conversation function (rarely more than one). */
  readonly #conversations: ConversationScope[] = [];
  #nextOpId = 1;
  #state: 'open' | 'aborted' | 'ended' = 'open';
  #abortReason: unknown;
  #endPromise: Promise<void> | undefined;
  #failDelayMs: number | undefined;
  #lastStatus = 0;

  // One pair of receivers for every transaction: the native side calls them with
  // the transaction as `this`, and holds the transaction itself only weakly.
  static readonly #receiversId = addon.registerReceivers(
    function (this: PamTransaction, opId, status, value, details) {
      this.#onDone(opId, status, value, details);
    },
    function (this: PamTransaction, conversationId, batch) {
      this.#converse(conversationId, batch);
    },
  );

  private constructor(conversation: Conversation, conversationTimeoutMs: number) {
    this.#conversation = conversation;
    this.#conversationTimeoutMs = conversationTimeoutMs;
    this.#handle = new addon.PamHandle(this, PamTransaction.#receiversId, conversationTimeoutMs);
  }

  /** pam_start (or pam_start_confdir) on a transaction thread. */
  static async start(options: StartOptions): Promise<PamTransaction> {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('PamTransaction.start: options must be an object');
    }
    const { service, user, confDir, conversation, conversationTimeoutMs, locale } = options;
    if (typeof service !== 'string') throw new TypeError('PamTransaction.start: service must be a string');
    if (user !== undefined && typeof user !== 'string') {
      throw new TypeError('PamTransaction.start: user must be a string');
    }
    if (confDir !== undefined && typeof confDir !== 'string') {
      throw new TypeError('PamTransaction.start: confDir must be a string');
    }
    if (typeof conversation !== 'function') {
      throw new TypeError('PamTransaction.start: conversation must be a function');
    }
    if (locale !== undefined && (typeof locale !== 'string' || !LOCALE_NAME.test(locale))) {
      throw new TypeError('PamTransaction.start: locale must be a locale name such as de_DE.UTF-8');
    }
    let timeout = 0;
    if (conversationTimeoutMs !== undefined) {
      if (
        typeof conversationTimeoutMs !== 'number' ||
        !Number.isInteger(conversationTimeoutMs) ||
        conversationTimeoutMs <= 0 ||
        conversationTimeoutMs > 2_147_483_647
      ) {
        throw new RangeError('PamTransaction.start: conversationTimeoutMs must be a positive integer');
      }
      timeout = conversationTimeoutMs;
    }
    const tx = new PamTransaction(conversation, timeout);
    await tx.#call('start', (opId) => tx.#handle.start(opId, service, user ?? null, confDir ?? null, locale ?? null));
    return tx;
  }

  /** The delay (ms) a module last asked for with pam_fail_delay; enforcing it is the caller's job. */
  get failDelayMs(): number | undefined {
    return this.#failDelayMs;
  }

  /** True once end() has been called (or the transaction never started). */
  get ended(): boolean {
    return this.#state === 'ended';
  }

  authenticate(options?: AuthOptions): Promise<void> {
    return this.#manage('authenticate', options, AUTH_FLAGS);
  }

  acctMgmt(options?: AuthOptions): Promise<void> {
    return this.#manage('acctMgmt', options, AUTH_FLAGS);
  }

  chauthtok(options?: ChauthtokOptions): Promise<void> {
    return this.#manage('chauthtok', options, CHAUTHTOK_FLAGS);
  }

  setcred(action: SetcredAction, options?: SilentOption): Promise<void> {
    const actionFlag = typeof action === 'string' ? SETCRED_ACTIONS[action] : undefined;
    if (actionFlag === undefined || !Object.hasOwn(SETCRED_ACTIONS, action)) {
      return Promise.reject(new TypeError(`setcred: action must be one of ${Object.keys(SETCRED_ACTIONS).join(', ')}`));
    }
    return this.#manage('setcred', options, SILENT_FLAG, constant(actionFlag));
  }

  openSession(options?: SilentOption): Promise<void> {
    return this.#manage('openSession', options, SILENT_FLAG);
  }

  closeSession(options?: SilentOption): Promise<void> {
    return this.#manage('closeSession', options, SILENT_FLAG);
  }

  async getItem(name: ItemName): Promise<string | null> {
    const item = itemNumber(name, 'getItem');
    const value = await this.#call('getItem', (opId) => this.#handle.getItem(opId, item));
    return typeof value === 'string' ? value : null;
  }

  async setItem(name: ItemName, value: string): Promise<void> {
    const item = itemNumber(name, 'setItem');
    if (typeof value !== 'string') throw new TypeError('setItem: value must be a string');
    await this.#call('setItem', (opId) => this.#handle.setItem(opId, item, value));
  }

  /** PAM_XAUTHDATA: the X authorization protocol name and its data. */
  async setXauthData(name: string, data: Uint8Array): Promise<void> {
    if (typeof name !== 'string') throw new TypeError('setXauthData: name must be a string');
    if (!(data instanceof Uint8Array)) throw new TypeError('setXauthData: data must be a Uint8Array');
    await this.#call('setXauthData', (opId) => this.#handle.setXauthData(opId, name, data));
  }

  async getenv(name: string): Promise<string | undefined> {
    if (typeof name !== 'string') throw new TypeError('getenv: name must be a string');
    const value = await this.#call('getenv', (opId) => this.#handle.getenv(opId, name));
    return typeof value === 'string' ? value : undefined;
  }

  /** 'NAME=value' sets, 'NAME' unsets. */
  async putenv(nameValue: string): Promise<void> {
    if (typeof nameValue !== 'string') throw new TypeError('putenv: nameValue must be a string');
    await this.#call('putenv', (opId) => this.#handle.putenv(opId, nameValue));
  }

  async getenvlist(): Promise<Record<string, string>> {
    const value = await this.#call('getenvlist', (opId) => this.#handle.getenvlist(opId));
    // fromEntries defines own properties, so a variable named __proto__ stays data.
    return Object.fromEntries(
      (Array.isArray(value) ? value : []).map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }

  /**
   * Fails the pending conversation (the module gets PAM_CONV_ERR) and every later
   * one; a running call rejects at once with an AbortError. end() still has to be
   * called to release the handle.
   */
  abort(reason?: unknown): void {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#abortReason = reason;
    this.#handle.abort();
    for (const scope of this.#conversations) ConversationScope.abort(scope, reason);
    const call = this.#running;
    if (call !== undefined && !call.settled) {
      call.settled = true;
      call.reject(abortError(call.operation, reason));
    }
  }

  /**
   * pam_end on the transaction thread (status defaults to the last call's result).
   * Aborts a call that is still running. Idempotent: every call returns the same promise.
   */
  end(status?: number): Promise<void> {
    if (this.#endPromise !== undefined) return this.#endPromise;
    if (status !== undefined && (!Number.isInteger(status) || status < 0)) {
      return Promise.reject(new RangeError('end: status must be a non-negative integer'));
    }
    if (this.#running !== undefined) this.abort(new Error('the transaction was ended'));
    const pamStatus = status ?? this.#lastStatus;
    // end reports no value: the call's promise is end's.
    this.#endPromise = this.#call('end', (opId) => this.#handle.end(opId, pamStatus), true) as Promise<unknown> as Promise<void>;
    this.#state = 'ended';
    return this.#endPromise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.end();
  }

  /** A management call: its flags from `options` (a bad option rejects), plus `extraFlags`. */
  #manage(operation: string, options: unknown, allowed: Record<string, string>, extraFlags = 0): Promise<void> {
    let flags: number;
    try {
      flags = flagsFrom(options, allowed, operation) | extraFlags;
    } catch (error) {
      return Promise.reject(error);
    }
    const code = OPERATION_CODES[operation]!;
    // Management calls report no value: the call's promise is the method's.
    return this.#call(operation, (opId) => this.#handle.run(opId, code, flags)) as Promise<unknown> as Promise<void>;
  }

  #call(operation: string, submit: (opId: number) => void, isEnd = false): Promise<NativeValue> {
    if (!isEnd) {
      if (this.#state === 'ended') {
        return Promise.reject(new PamStateError('ERR_PAM_ENDED', `${operation}: the PAM transaction has ended`));
      }
      if (this.#state === 'aborted') return Promise.reject(abortError(operation, this.#abortReason));
      if (this.#running !== undefined) {
        return Promise.reject(
          new PamStateError('ERR_PAM_BUSY', `${operation}: another call is still running on this PAM transaction`),
        );
      }
    }
    const opId = this.#nextOpId++;
    return new Promise<NativeValue>((resolve, reject) => {
      submit(opId); // argument errors throw here and reject the promise
      const call = (!isEnd && this.#spareRecord) || new PendingCall();
      this.#spareRecord = undefined;
      call.opId = opId;
      call.operation = operation;
      call.resolve = resolve;
      call.reject = reject;
      call.settled = false;
      call.conversationFailure = undefined;
      if (isEnd) this.#ending = call;
      else this.#running = call;
      if (this.#busySlot < 0) {
        this.#busySlot = busyTransactions.length;
        busyTransactions.push(this);
      }
    });
  }

  #leaveBusy(): void {
    const slot = this.#busySlot;
    if (slot < 0) return;
    const last = busyTransactions.pop()!;
    if (last !== this) {
      busyTransactions[slot] = last;
      last.#busySlot = slot;
    }
    this.#busySlot = -1;
  }

  #onDone(opId: number, status: number, value: NativeValue, details: NativeDetails | undefined): void {
    const call = this.#running?.opId === opId ? this.#running : this.#ending?.opId === opId ? this.#ending : undefined;
    if (call === undefined) return;
    if (call === this.#running) this.#running = undefined;
    else this.#ending = undefined;
    // The call has returned, so any conversation still open for it is over.
    for (const scope of this.#conversations) {
      ConversationScope.abort(
        scope,
        new PamStateError('ABORT_ERR', `the conversation is over: ${details?.conversationError ?? 'the PAM call returned'}`),
      );
    }
    if (this.#running === undefined && this.#ending === undefined) this.#leaveBusy();
    const failDelayMs = details?.delayUsec === undefined ? undefined : Math.round(details.delayUsec / 1000);
    if (failDelayMs !== undefined) this.#failDelayMs = failDelayMs;
    const operation = call.operation;
    if (MANAGEMENT_CALLS.has(operation)) this.#lastStatus = status;
    if (operation === 'start' && status !== 0) this.#state = 'ended';
    const { settled, resolve, reject, conversationFailure } = call;
    if (operation !== 'end') {
      // Nothing refers to the record any more: the next call reuses it.
      call.resolve = call.reject = noop;
      call.conversationFailure = undefined;
      this.#spareRecord = call;
    }
    if (settled) return; // already rejected by abort()
    if (status === 0) {
      if (conversationFailure !== undefined) {
        // The module ignored the failed conversation and succeeded anyway; the
        // application's mistake must not vanish.
        // The addon's own refusals are quoted; anything the conversation function
        // threw is named by its kind only: its message may quote an answer.
        process.emitWarning(`gatehouse/pam: a conversation of ${operation} failed: ${warningText(conversationFailure)}`, {
          code: 'GATEHOUSE_PAM_CONVERSATION',
        });
      }
      resolve(value);
      return;
    }
    const conversationError = details?.conversationError;
    const cause = conversationFailure ?? (conversationError === undefined ? undefined : new Error(conversationError));
    reject(
      new PamError(status, operation, details?.statusText ?? '', {
        ...(failDelayMs === undefined ? {} : { failDelayMs }),
        ...(conversationError === undefined ? {} : { conversationError }),
        ...(cause === undefined ? {} : { cause }),
      }),
    );
  }

  #converse(id: number, batch: (number | string | Uint8Array)[]): void {
    if (this.#state !== 'open') {
      this.#handle.failConversation(id, 'the transaction was aborted');
      return;
    }
    const messages: PamMessage[] = [];
    for (let i = 0; i < batch.length; i += 2) {
      const style = STYLE_NAMES[batch[i] as number]!;
      const text = batch[i + 1]!;
      messages.push(typeof text === 'string' ? { style, text } : { style, text: '', data: new Uint8Array(text as Uint8Array) });
    }
    const scope = new ConversationScope();
    this.#conversations.push(scope);
    const timer =
      this.#conversationTimeoutMs > 0
        ? setTimeout(
            () => ConversationScope.abort(scope, new PamStateError('ABORT_ERR', 'the conversation timed out')),
            this.#conversationTimeoutMs,
          )
        : undefined;
    const settle = (failed: boolean, outcome: unknown): void => {
      if (timer !== undefined) clearTimeout(timer);
      this.#conversations.splice(this.#conversations.indexOf(scope), 1);
      try {
        if (ConversationScope.aborted(scope)) return; // too late: the module already has PAM_CONV_ERR
        if (failed) {
          this.#noteConversationFailure(outcome);
          this.#handle.failConversation(id, 'the conversation function failed');
        } else {
          this.#respond(id, outcome);
        }
      } finally {
        // The addon has copied them into its secure memory (or refused them, or
        // they came too late): no copy of a byte answer stays in JS.
        if (!failed && Array.isArray(outcome)) for (const answer of outcome) if (answer instanceof Uint8Array) answer.fill(0);
      }
    };
    let result: Answer[] | Promise<Answer[]>;
    try {
      result = this.#conversation(messages, scope);
    } catch (error) {
      settle(true, error);
      return;
    }
    // Answers returned at once go to the module at once: no promise, no extra turn.
    if (result !== null && typeof (result as { then?: unknown }).then === 'function') {
      Promise.resolve(result).then(
        (answers) => settle(false, answers),
        (error: unknown) => settle(true, error),
      );
    } else {
      settle(false, result);
    }
  }

  #respond(id: number, answers: unknown): void {
    try {
      this.#handle.respond(id, answers);
    } catch (error) {
      // Refused answers: the native side has already failed the conversation.
      if ((error as { code?: string }).code !== 'ERR_PAM_CONVERSATION_CLOSED') {
        if (error instanceof Error) addonRefusals.add(error);
        this.#noteConversationFailure(error);
      }
    }
  }

  #noteConversationFailure(error: unknown): void {
    const call = this.#running;
    if (call !== undefined && call.conversationFailure === undefined) call.conversationFailure = error;
  }
}

function noop(): void {}

function itemNumber(name: unknown, what: string): number {
  if (typeof name !== 'string' || !Object.hasOwn(ITEMS, name)) {
    throw new TypeError(`${what}: unknown item '${String(name)}' (one of ${Object.keys(ITEMS).join(', ')})`);
  }
  return constant(ITEMS[name as ItemName]);
}

/** Errors the addon threw refusing answers: their messages are the addon's and name no value. */
const addonRefusals = new WeakSet<Error>();

function warningText(error: unknown): string {
  if (error instanceof Error && addonRefusals.has(error)) return error.message;
  return `the conversation function threw (${errorKind(error)})`;
}

/** An error's kind (name and code), never its message, which may quote an answer. */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

function abortError(operation: string, reason: unknown): PamStateError {
  return new PamStateError('ABORT_ERR', `${operation}: the PAM transaction was aborted`, { cause: reason });
}
