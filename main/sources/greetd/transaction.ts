// A PAM transaction run by greetd, behind the engine's transaction seam
// (main/auth/pam-calls.ts: PamHandle), so the login flow and its protocol events
// are the same as on the addon. One transaction is one connection to greetd.
//
//   start          connect to $GREETD_SOCK (greetd's pam_start comes with create_session)
//   authenticate   cancel_session (whatever a previous greeter left), create_session,
//                  then each auth_message through the conversation and its answer
//                  back as post_auth_message_response, until greetd says success
//                  (its worker has then run pam_authenticate, pam_acct_mgmt and
//                  pam_setcred(ESTABLISH)) or error
//   acct_mgmt,     greetd's results of those calls, as it reported them
//   setcred        (establish); the other setcred actions are greetd's to do
//   chauthtok      impossible: greetd has no password change (the UI is told why)
//   open/close     greetd opens and closes the session itself, after the greeter exits
//   startSession   start_session (the launcher in session.ts calls it)
//   end            cancel_session unless the session was started; close
//
// greetd asks one message at a time: every prompt is a batch of one. Only its
// four message types exist (visible, secret, info, error): no radio or binary
// prompts reach a greetd greeter. A fail delay is slept inside greetd's worker
// before the error arrives, so there is no delay to announce (failDelayMs stays
// undefined). Items (PAM_TTY, PAM_XDISPLAY) are kept here only: greetd sets PAM_TTY
// from its own terminal. The PAM environment put here goes to greetd with
// start_session, which adds it to the session's.
import type { Answer, Conversation, ItemName, MessageStyle, StartOptions } from '../../../native';
import { PamStateError } from '../../../native';
import type { PamHandle } from '../../auth/pam-calls';
import { MAX_ANSWER_BYTES, MAX_USER_BYTES } from '../../protocol';
import { GreetdConnection, GreetdConnectionError } from './connection';
import { greetdFailure, pamError, pamErrorOf, type GreetdFailure } from './failures';
import type { AuthMessageType, GreetdRequest, GreetdResponse } from './messages';

/** How long end() waits for greetd to confirm the cancel. */
const CANCEL_WAIT_MS = 2_000;

/** What the greeter shows for a login with no user named yet (as pam_get_user asks). */
export const USER_PROMPT = 'login:';

/** Shown when an expired password would have to be changed. */
export const NO_PASSWORD_CHANGE =
  'Your password has expired and must be changed, which cannot be done through greetd. ' +
  'Change it on a text console (passwd), then sign in again.';

const STYLES: Readonly<Record<AuthMessageType, MessageStyle>> = {
  visible: 'echo-on',
  secret: 'echo-off',
  info: 'info',
  error: 'error',
};

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function decodeName(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8');
  bytes.fill(0);
  return text;
}

export class GreetdTransaction implements PamHandle {
  /** greetd sleeps a fail delay itself before it answers: never one to enforce here. */
  readonly failDelayMs: number | undefined = undefined;
  readonly #connection: GreetdConnection;
  readonly #conversation: Conversation;
  readonly #items = new Map<ItemName, string>();
  readonly #env = new Map<string, string>();
  /** Aborted by abort() and end(): the running call and conversation stop at once. */
  readonly #stop = new AbortController();
  #busy = false;
  #created = false;
  #authenticated = false;
  #started = false;
  /** A failure greetd reported for a call after pam_authenticate: the flow hears it when it makes that call. */
  #deferred: GreetdFailure | undefined;
  #ending: Promise<void> | undefined;

  private constructor(connection: GreetdConnection, options: StartOptions) {
    this.#connection = connection;
    this.#conversation = options.conversation;
    if (options.user !== undefined) this.#items.set('user', options.user);
    this.#items.set('service', 'greetd');
  }

  /** Connects to greetd; refused with PAM_SYSTEM_ERR when greetd cannot be reached. */
  static async start(socketPath: string, options: StartOptions): Promise<GreetdTransaction> {
    if (options === null || typeof options !== 'object' || typeof options.conversation !== 'function') {
      throw new TypeError('GreetdTransaction.start: options.conversation must be a function');
    }
    if (options.user !== undefined && typeof options.user !== 'string') {
      throw new TypeError('GreetdTransaction.start: user must be a string');
    }
    try {
      return new GreetdTransaction(await GreetdConnection.open(socketPath), options);
    } catch (error) {
      if (!(error instanceof GreetdConnectionError)) throw error;
      throw pamError('PAM_SYSTEM_ERR', 'start', error.message);
    }
  }

  async authenticate(): Promise<void> {
    await this.#call('authenticate', async () => {
      if (this.#created) throw pamError('PAM_SYSTEM_ERR', 'authenticate', 'greetd authenticates once per transaction');
      const user = this.#items.get('user') ?? (await this.#askUser());
      this.#items.set('user', user);
      // A greeter that died mid-login leaves greetd's session "under configuration",
      // and greetd refuses to create another: clear it first (a no-op otherwise).
      await this.#request({ type: 'cancel_session' });
      // From the moment greetd is asked, end() owes it a cancel (also if aborted while it answers).
      this.#created = true;
      let response = await this.#request({ type: 'create_session', username: user });
      for (;;) {
        switch (response.type) {
          case 'success':
            this.#authenticated = true;
            return;
          case 'auth_message': {
            const answer = await this.#converse(response.auth_message_type, response.auth_message);
            const answered = this.#request({ type: 'post_auth_message_response', response: answer });
            // The frame holds its own copy now (connection.request frames it at once).
            if (answer instanceof Uint8Array) answer.fill(0);
            response = await answered;
            break;
          }
          case 'error': {
            const failure = greetdFailure(response.description);
            if (failure.call === 'acct_mgmt' || failure.call === 'setcred') {
              // pam_authenticate itself succeeded in greetd.
              this.#authenticated = true;
              this.#deferred = failure;
              return;
            }
            throw pamErrorOf(failure, 'authenticate');
          }
        }
      }
    });
  }

  async acctMgmt(): Promise<void> {
    await this.#call('acctMgmt', async () => {
      this.#requireAuthenticated('acctMgmt');
      if (this.#deferred?.call === 'acct_mgmt') throw pamErrorOf(this.#deferred, 'acctMgmt');
    });
  }

  async chauthtok(): Promise<void> {
    await this.#call('chauthtok', async () => {
      await this.#tell('error', NO_PASSWORD_CHANGE);
      throw pamError(this.#deferred?.code ?? 'PAM_AUTHTOK_ERR', 'chauthtok', 'greetd cannot change passwords');
    });
  }

  async setcred(action: 'establish' | 'delete' | 'reinitialize' | 'refresh'): Promise<void> {
    await this.#call('setcred', async () => {
      if (action !== 'establish') return; // greetd deletes them after the session
      this.#requireAuthenticated('setcred');
      if (this.#deferred !== undefined) throw pamErrorOf(this.#deferred, 'setcred');
    });
  }

  /** greetd opens the session itself, once the greeter has exited. */
  async openSession(): Promise<void> {
    await this.#call('openSession', async () => this.#requireAuthenticated('openSession'));
  }

  /** ... and closes it when the session ends. */
  async closeSession(): Promise<void> {
    await this.#call('closeSession', async () => undefined);
  }

  /**
   * start_session: greetd runs `command` as the user once the greeter exits.
   * greetd joins the words with blanks into `sh -c "exec ..."`, so each is
   * quoted for the shell here and reaches the session as given.
   */
  async startSession(command: readonly string[], env: Readonly<Record<string, string>>): Promise<void> {
    await this.#call('startSession', async () => {
      this.#requireAuthenticated('startSession');
      if (this.#deferred !== undefined) throw pamErrorOf(this.#deferred, 'startSession');
      const response = await this.#request({
        type: 'start_session',
        cmd: command.map(shellQuote),
        env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
      });
      if (response.type !== 'success') throw this.#unexpected(response, 'startSession');
      this.#started = true;
    });
  }

  async getItem(name: ItemName): Promise<string | null> {
    return this.#items.get(name) ?? null;
  }

  async setItem(name: ItemName, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('setItem: value must be a string');
    if (name === 'user' && this.#created) throw pamError('PAM_BAD_ITEM', 'setItem', 'greetd has the user already');
    this.#items.set(name, value);
  }

  /** 'NAME=value' sets, 'NAME' unsets (as pam_putenv). */
  async putenv(nameValue: string): Promise<void> {
    if (typeof nameValue !== 'string') throw new TypeError('putenv: nameValue must be a string');
    const eq = nameValue.indexOf('=');
    const name = eq < 0 ? nameValue : nameValue.slice(0, eq);
    if (name === '' || nameValue.includes('\0')) throw pamError('PAM_BAD_ITEM', 'putenv', 'Bad item passed to pam_*_item()');
    if (eq < 0) {
      if (!this.#env.delete(name)) throw pamError('PAM_BAD_ITEM', 'putenv', 'Bad item passed to pam_*_item()');
      return;
    }
    this.#env.set(name, nameValue.slice(eq + 1));
  }

  async getenvlist(): Promise<Record<string, string>> {
    return Object.fromEntries(this.#env);
  }

  abort(reason?: unknown): void {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort(reason ?? new Error('the transaction was aborted'));
  }

  /** Cancels greetd's session unless it was started, and closes the connection. Idempotent. */
  end(): Promise<void> {
    this.#ending ??= this.#finish();
    return this.#ending;
  }

  async #finish(): Promise<void> {
    this.abort(new Error('the transaction was ended'));
    if (this.#created && !this.#started) {
      // Queued behind any request still out (greetd answers in order); bounded,
      // since greetd may be sleeping out a fail delay in its worker.
      const cancelled = this.#connection.request({ type: 'cancel_session' }).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([cancelled, new Promise<void>((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.#connection.close();
  }

  // ------------------------------------------------------------ helpers

  /** One call at a time, none after abort or end (as the addon). */
  async #call<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.#ending !== undefined) throw new PamStateError('ERR_PAM_ENDED', `${operation}: the PAM transaction has ended`);
    if (this.#stop.signal.aborted) throw abortError(operation, this.#stop.signal.reason);
    if (this.#busy) throw new PamStateError('ERR_PAM_BUSY', `${operation}: another call is still running on this PAM transaction`);
    this.#busy = true;
    try {
      return await body();
    } catch (error) {
      if (this.#stop.signal.aborted && !(error instanceof PamStateError)) throw abortError(operation, this.#stop.signal.reason);
      if (error instanceof GreetdConnectionError) throw pamError('PAM_SYSTEM_ERR', operation, error.message);
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /** A request whose wait ends at once when the transaction is aborted. */
  #request(request: GreetdRequest): Promise<GreetdResponse> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.reject(abortError('greetd', signal.reason));
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError('greetd', signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      this.#connection.request(request).then(
        (response) => {
          signal.removeEventListener('abort', onAbort);
          resolve(response);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * One auth_message through the conversation. Info and error messages are
   * answered with null; a question whose conversation failed (or whose answer
   * PAM could not take) also gets null, which greetd's worker turns into
   * PAM_CONV_ERR for the module — what the addon does too.
   */
  async #converse(type: AuthMessageType, text: string): Promise<string | Uint8Array | null> {
    const style = STYLES[type];
    const answer = await this.#ask(style, text);
    if (style === 'info' || style === 'error') {
      if (answer instanceof Uint8Array) answer.fill(0);
      return null;
    }
    // Hosts hand answers over as bytes: they stay bytes up to the frame.
    if (answer instanceof Uint8Array) {
      if (answer.includes(0) || answer.length > MAX_ANSWER_BYTES) {
        answer.fill(0);
        return null;
      }
      return answer;
    }
    if (typeof answer !== 'string' || answer.includes('\0') || utf8Bytes(answer) > MAX_ANSWER_BYTES) return null;
    return answer;
  }

  /** The user name, asked as pam_get_user would (greetd needs it before it starts PAM). */
  async #askUser(): Promise<string> {
    const asked = await this.#ask('echo-on', USER_PROMPT);
    // A name is no secret: as text, for create_session.
    const answer = asked instanceof Uint8Array ? decodeName(asked) : asked;
    if (typeof answer !== 'string' || answer === '' || answer.includes('\0') || utf8Bytes(answer) > MAX_USER_BYTES) {
      throw pamError('PAM_AUTH_ERR', 'authenticate', 'Authentication failure');
    }
    return answer;
  }

  async #tell(style: 'info' | 'error', text: string): Promise<void> {
    await this.#ask(style, text);
  }

  /** The conversation with one message; undefined when it failed. */
  async #ask(style: MessageStyle, text: string): Promise<Answer | undefined> {
    const signal = this.#stop.signal;
    try {
      const answers = await this.#conversation([{ style, text }], { signal });
      return Array.isArray(answers) ? answers[0] : undefined;
    } catch {
      if (signal.aborted) throw abortError('conversation', signal.reason);
      return undefined;
    }
  }

  #requireAuthenticated(operation: string): void {
    if (!this.#authenticated) throw pamError('PAM_SYSTEM_ERR', operation, 'greetd has not authenticated anyone on this transaction');
  }

  #unexpected(response: GreetdResponse, operation: string): Error {
    if (response.type === 'error') return pamErrorOf(greetdFailure(response.description), operation);
    return pamError('PAM_SYSTEM_ERR', operation, 'greetd answered out of turn');
  }
}

function abortError(operation: string, reason: unknown): PamStateError {
  return new PamStateError('ABORT_ERR', `${operation}: the PAM transaction was aborted`, { cause: reason });
}

/** A single quote inside single quotes: close the quoting, an escaped quote, open again. */
const QUOTED_QUOTE = "'\\''";

/** One word for sh: single-quoted, with embedded quotes closed and escaped. */
export function shellQuote(word: string): string {
  return "'" + word.replaceAll("'", QUOTED_QUOTE) + "'";
}
