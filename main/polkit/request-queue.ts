// The agent's requests, one at a time. polkitd may start several (two programs
// asking at once); like polkit-gnome, the agent shows them in turn instead of
// refusing all but the first (pkttyagent's way). A request waiting its turn, or
// being shown, can be cancelled by polkitd (CancelAuthentication).
//
// How a request ends decides BeginAuthentication's reply:
//   authenticated    the helper told polkitd; reply with success
//   not-authorized   every attempt failed; reply with success (polkitd sees no
//                    authentication: "Not authorized", pkexec's status 127)
//   dismissed        the person said no, or polkitd cancelled; reply with
//                    org.freedesktop.PolicyKit1.Error.Cancelled ("dismissed",
//                    pkexec's status 126)
import type { PresentedRequest } from './presentation';

export type RequestResult = 'authenticated' | 'not-authorized' | 'dismissed';

/** Shows one request to the person and resolves with how it ended; `signal` aborts when it is cancelled. */
export type RequestHandler = (request: PresentedRequest, signal: AbortSignal) => Promise<RequestResult>;

export const POLKIT_ERRORS = {
  failed: 'org.freedesktop.PolicyKit1.Error.Failed',
  cancelled: 'org.freedesktop.PolicyKit1.Error.Cancelled',
} as const;

export type BeginReply = { ok: true } | { ok: false; error: string; message: string };

interface Entry {
  request: PresentedRequest;
  controller: AbortController;
  reply(value: BeginReply): void;
  /** Settles once BeginAuthentication's reply has been handed over. */
  replied: Promise<void>;
}

export interface RequestQueueOptions {
  /** Requests that may wait behind the one shown; more are refused. */
  maxWaiting?: number;
  /** Called when a request starts and ends (never with the cookie). */
  log?(entry: Record<string, unknown>): void;
}

export class RequestQueue {
  readonly #handler: RequestHandler;
  readonly #maxWaiting: number;
  readonly #log: (entry: Record<string, unknown>) => void;
  readonly #waiting: Entry[] = [];
  #active: Entry | undefined;

  constructor(handler: RequestHandler, options: RequestQueueOptions = {}) {
    this.#handler = handler;
    this.#maxWaiting = options.maxWaiting ?? 8;
    this.#log = options.log ?? (() => undefined);
  }

  /** Requests waiting or shown. */
  get size(): number {
    return this.#waiting.length + (this.#active === undefined ? 0 : 1);
  }

  /** Queues `request`; resolves with BeginAuthentication's reply once it has ended. */
  begin(request: PresentedRequest): Promise<BeginReply> {
    if (this.#find(request.cookie) !== undefined) {
      return Promise.resolve(failed('an authentication request with this cookie is already pending'));
    }
    if (this.#waiting.length >= this.#maxWaiting) {
      return Promise.resolve(failed('too many authentication requests are waiting'));
    }
    return new Promise((resolve) => {
      let replied!: () => void;
      const entry: Entry = {
        request,
        controller: new AbortController(),
        reply: (value) => {
          resolve(value);
          replied();
        },
        replied: new Promise((done) => (replied = done)),
      };
      this.#waiting.push(entry);
      this.#next();
    });
  }

  /** CancelAuthentication: false when no request has this cookie. */
  cancel(cookie: string): boolean {
    const entry = this.#find(cookie);
    if (entry === undefined) return false;
    this.#cancel(entry, 'cancelled by polkitd');
    return true;
  }

  /**
   * Cancels every request (the agent stops, or polkitd went away). Resolves once
   * every reply is out: the one shown ends when its UI has ended it.
   */
  cancelAll(reason: string): Promise<void> {
    const active = this.#active;
    for (const entry of [...this.#waiting, ...(active === undefined ? [] : [active])]) this.#cancel(entry, reason);
    return active?.replied ?? Promise.resolve();
  }

  #find(cookie: string): Entry | undefined {
    if (this.#active?.request.cookie === cookie) return this.#active;
    return this.#waiting.find((entry) => entry.request.cookie === cookie);
  }

  #cancel(entry: Entry, reason: string): void {
    const index = this.#waiting.indexOf(entry);
    if (index >= 0) {
      // Not shown yet: it simply never will be.
      this.#waiting.splice(index, 1);
      this.#log({ event: 'polkit-request', request: entry.request.id, action: entry.request.actionId, result: 'dismissed', reason });
      entry.reply({ ok: false, error: POLKIT_ERRORS.cancelled, message: `the request was ${reason}` });
      return;
    }
    entry.controller.abort(new Error(reason));
  }

  #next(): void {
    if (this.#active !== undefined) return;
    const entry = this.#waiting.shift();
    if (entry === undefined) return;
    this.#active = entry;
    const { request } = entry;
    this.#log({ event: 'polkit-request', request: request.id, action: request.actionId, identities: request.identities.length });
    this.#handler(request, entry.controller.signal).then(
      (result) => this.#finish(entry, result, replyFor(result)),
      (error: unknown) =>
        this.#finish(entry, 'failed', failed(`the request could not be shown: ${error instanceof Error ? error.message : typeof error}`)),
    );
  }

  #finish(entry: Entry, result: string, reply: BeginReply): void {
    this.#log({ event: 'polkit-request', request: entry.request.id, action: entry.request.actionId, result });
    entry.reply(reply);
    this.#active = undefined;
    this.#next();
  }
}

function replyFor(result: RequestResult): BeginReply {
  switch (result) {
    case 'authenticated':
    case 'not-authorized':
      return { ok: true };
    case 'dismissed':
      return { ok: false, error: POLKIT_ERRORS.cancelled, message: 'the request was dismissed' };
  }
}

function failed(message: string): BeginReply {
  return { ok: false, error: POLKIT_ERRORS.failed, message };
}
