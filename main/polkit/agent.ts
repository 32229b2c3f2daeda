// The polkit authentication agent on the system bus: connects, exports the
// AuthenticationAgent object (agent-service.ts), registers it with polkitd for
// its subject, and shows each request through the host's RequestHandler, one at
// a time (request-queue.ts). When polkitd restarts, the agent registers again
// (a new polkitd knows no agents); while it is gone, pending requests are
// cancelled. stop() cancels what is pending, unregisters and disconnects.
import * as dbus from 'dbus-next';
import { AgentService } from './agent-service';
import { nameOwner, nameOwnerChange, POLKIT_NAME, registerAgent, sessionIdOf, unregisterAgent, watchNameOwner } from './bus-calls';
import { RequestQueue, type RequestHandler } from './request-queue';
import { describeSubject, processSubject, sessionSubject, type AgentSubject } from './subject';

export const DEFAULT_SYSTEM_BUS = 'unix:path=/run/dbus/system_bus_socket';

/** How long stopping waits for the request being shown to end. */
const STOP_GRACE_MS = 5000;

/** The system bus address: $DBUS_SYSTEM_BUS_ADDRESS or the standard socket. */
export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  const address = env.DBUS_SYSTEM_BUS_ADDRESS;
  return address !== undefined && address !== '' ? address : DEFAULT_SYSTEM_BUS;
}

/** Which subject to serve: one process, or the logind session we run in. */
export type SubjectChoice = { process: number } | { session: 'own' };

export interface AgentOptions {
  subject: SubjectChoice;
  handler: RequestHandler;
  /** polkitd translates messages into this locale (e.g. de_DE.UTF-8). */
  locale: string;
  /** Serve only where no other agent does. */
  fallback?: boolean;
  busAddress?: string;
  log(entry: Record<string, unknown>): void;
  /** How long connecting and registering may take. */
  timeoutMs?: number;
}

export class AgentError extends Error {
  override name = 'AgentError';
}

export class PolkitAgent {
  readonly subject: AgentSubject;
  /** Resolves when the agent can no longer serve (the bus connection broke), with the reason. */
  readonly lost: Promise<string>;
  readonly #bus: dbus.MessageBus;
  readonly #service: AgentService;
  readonly #queue: RequestQueue;
  readonly #options: AgentOptions;
  #stopped = false;
  /** Set once the first registration went through; owner changes before that are the setup's business. */
  #registered = false;
  #reportLost!: (reason: string) => void;

  private constructor(bus: dbus.MessageBus, subject: AgentSubject, service: AgentService, queue: RequestQueue, options: AgentOptions) {
    this.#bus = bus;
    this.subject = subject;
    this.#service = service;
    this.#queue = queue;
    this.#options = options;
    this.lost = new Promise((resolve) => {
      this.#reportLost = resolve;
    });
  }

  /** Connects and registers; throws AgentError saying why it could not. */
  static async start(options: AgentOptions): Promise<PolkitAgent> {
    const address = options.busAddress ?? systemBusAddress();
    const bus = dbus.sessionBus({ busAddress: address });
    const timeoutMs = options.timeoutMs ?? 10_000;
    // dbus-next reports a failed connection only as an 'error' event (pending
    // calls never settle): race the setup against it, and against a deadline.
    let onError!: (error: Error) => void;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_resolve, reject) => {
      onError = reject;
      bus.on('error', onError);
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const queue = new RequestQueue(options.handler, { log: options.log });
    const service = new AgentService(bus, { queue, log: options.log });
    const setup = async () => {
      const subject = await resolveSubject(bus, options.subject);
      const agent = new PolkitAgent(bus, subject, service, queue, options);
      bus.addMethodHandler(service.handle);
      bus.on('message', (message: dbus.Message) => agent.#onBusMessage(message));
      await watchNameOwner(bus, POLKIT_NAME);
      service.authority = await nameOwner(bus, POLKIT_NAME);
      if (service.authority === undefined) throw new AgentError('polkitd is not running (nobody owns org.freedesktop.PolicyKit1)');
      await registerAgent(bus, subject, options.locale, { fallback: options.fallback === true });
      agent.#registered = true;
      return agent;
    };
    try {
      const agent = await Promise.race([setup(), failed]);
      bus.off('error', onError);
      bus.on('error', (error: Error) => agent.#onLost(`the system bus connection failed: ${error.message}`));
      return agent;
    } catch (error) {
      bus.off('error', onError);
      bus.on('error', () => undefined);
      bus.disconnect();
      throw new AgentError(registrationProblem(error, address), { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** As polkit writes it, e.g. unix-process:1234:5678:1000. */
  get subjectText(): string {
    return describeSubject(this.subject);
  }

  /** Cancels pending requests (dismissed), unregisters, disconnects. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // The callers hear "dismissed" before the connection closes (else polkitd
    // sees the agent vanish, and its callers "not authorized").
    await withDeadline(this.#queue.cancelAll('cancelled: the agent is stopping'), STOP_GRACE_MS).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#service.authority !== undefined) {
      await withDeadline(unregisterAgent(this.#bus, this.subject), 2000).catch((error: unknown) =>
        this.#options.log({ event: 'polkit-unregister-failed', error: (error as Error).message }),
      );
    }
    this.#bus.disconnect();
  }

  #onBusMessage(message: dbus.Message): void {
    const owner = nameOwnerChange(message, POLKIT_NAME);
    if (owner === undefined || this.#stopped || !this.#registered) return;
    const before = this.#service.authority;
    this.#service.authority = owner;
    if (before !== undefined && before !== owner) this.#queue.cancelAll('cancelled: polkitd went away');
    if (owner === '') {
      this.#options.log({ event: 'polkit-authority-gone' });
      return;
    }
    // A new polkitd knows no agents: register again.
    registerAgent(this.#bus, this.subject, this.#options.locale, { fallback: this.#options.fallback === true }).then(
      () => this.#options.log({ event: 'polkit-registered', subject: this.subjectText, again: true }),
      (error: unknown) => this.#options.log({ event: 'polkit-register-failed', error: (error as Error).message }),
    );
  }

  #onLost(reason: string): void {
    if (this.#stopped) return;
    void this.#queue.cancelAll('cancelled: the system bus connection was lost');
    this.#reportLost(reason);
  }
}

async function resolveSubject(bus: dbus.MessageBus, choice: SubjectChoice): Promise<AgentSubject> {
  if ('process' in choice) return processSubject(choice.process);
  const fromEnv = process.env.XDG_SESSION_ID;
  if (fromEnv !== undefined && fromEnv !== '') return sessionSubject(fromEnv);
  try {
    return sessionSubject(await sessionIdOf(bus, process.pid, process.getuid?.() ?? -1));
  } catch (error) {
    throw new AgentError(
      `no logind session to serve (XDG_SESSION_ID is not set, and logind knows no session for process ${process.pid}: ${(error as Error).message}); ` +
        'run the agent inside the desktop session, or name a process with --process PID',
    );
  }
}

function registrationProblem(error: unknown, address: string): string {
  if (error instanceof AgentError || (error instanceof Error && error.name === 'SubjectError')) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof dbus.DBusError) return `polkitd refused the registration: ${message}`;
  return `the system bus is not reachable on ${address}: ${message}`;
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}
