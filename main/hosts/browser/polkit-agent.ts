// `gatehouse polkit-agent --serve`: the polkit authentication agent with the UI in
// a browser, through `gatehouse serve`'s host (runServe: the same server, entry URL and cookie,
// checks and stdout lines). One page serves every request in turn: the seat below
// is the one engine serve sees, and hands the page's requests to the engine of
// the polkit request being shown. Each request starts with a fresh `context`
// (its own request id, so the page starts over); between requests the page has
// nothing to show and requests other than `hello` are refused.
//
// stdout: {"event":"registered","subject":...}, then serve's own lines
// ({"event":"listening","url":...}, one {"event":"outcome",...} per attempt).
import type { Engine, EngineObserver } from '../../auth/api';
import {
  AgentError,
  PolkitAgent,
  RequestSession,
  type RequestHandler,
  type RequestResult,
  type RequestSettings,
  type SubjectChoice,
} from '../../polkit';
import { event, request as makeRequest, type Request, type RequestRefusal } from '../../protocol';
import { runServe } from './index';

export interface PolkitAgentBrowserOptions {
  subject: SubjectChoice;
  settings: RequestSettings;
  locale: string;
  fallback: boolean;
  host: string;
  port: number;
  rendererDir?: string;
}

export async function runPolkitAgentBrowser(options: PolkitAgentBrowserOptions): Promise<number> {
  const seat = new RequestSeat(options.settings);
  let agent: PolkitAgent;
  try {
    agent = await PolkitAgent.start({
      subject: options.subject,
      handler: seat.handler,
      locale: options.locale,
      fallback: options.fallback,
      log: options.settings.log,
    });
  } catch (error) {
    if (!(error instanceof AgentError)) throw error;
    process.stderr.write(`gatehouse polkit-agent: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ event: 'registered', subject: agent.subjectText })}\n`);
  const lost = new AbortController();
  let status = 0;
  void agent.lost.then((reason) => {
    process.stderr.write(`gatehouse polkit-agent: ${reason}\n`);
    status = 1;
    lost.abort();
  });
  try {
    const served = await runServe({
      mode: 'elevate',
      host: options.host,
      port: options.port,
      ...(options.rendererDir === undefined ? {} : { rendererDir: options.rendererDir }),
      startEngine: (observer) => seat.attach(observer),
      signal: lost.signal,
    });
    return status === 0 ? served : status;
  } finally {
    await agent.stop();
  }
}

/** The one engine serve's page talks to, standing for the polkit request being shown (if any). */
class RequestSeat implements Engine {
  readonly mode = 'elevate' as const;
  readonly #settings: RequestSettings;
  #observer: EngineObserver | undefined;
  #current: RequestSession | undefined;
  #closed = false;

  constructor(settings: RequestSettings) {
    this.#settings = settings;
  }

  attach(observer: EngineObserver): Engine {
    this.#observer = observer;
    return this;
  }

  get busy(): boolean {
    return this.#current?.engine.busy ?? false;
  }

  receive(input: Request): void {
    const current = this.#current;
    if (current !== undefined) {
      current.engine.receive(input);
      return;
    }
    // No request: nothing to show yet. The page's hello is answered when one comes.
    if (input.type === 'hello') return;
    this.#refused(input.type, 'no authentication request is waiting');
  }

  refuse(refusal: RequestRefusal): void {
    const current = this.#current;
    if (current !== undefined) current.engine.refuse(refusal);
    else this.#refused(refusal.type, refusal.error);
  }

  #refused(request: string | undefined, message: string): void {
    this.#observer?.event(event({ type: 'refused', ...(request === undefined ? {} : { request }), message }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#current?.close();
  }

  readonly handler: RequestHandler = async (request, cancelled): Promise<RequestResult> => {
    const observer = this.#observer;
    if (observer === undefined || this.#closed) return 'dismissed';
    const session = new RequestSession(request, this.#settings, { event: (e) => observer.event(e), outcome: (o) => observer.outcome?.(o) }, cancelled);
    this.#current = session;
    try {
      // The page learns of the request as it would on connecting.
      session.engine.receive(makeRequest({ type: 'hello' }));
      return await session.result;
    } finally {
      await session.close();
      if (this.#current === session) this.#current = undefined;
    }
  };
}
