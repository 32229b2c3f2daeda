// logind over the system D-Bus (dbus-next): which session is ours, its Lock
// signal, the manager's PrepareForSleep, and the session's LockedHint.
//
// Signals are accepted only from the current owner of org.freedesktop.login1
// (dbus-next's proxies check the sender), so no other client of the bus can make
// the locker lock or believe the system is going to sleep.
import { EventEmitter } from 'node:events';
import * as dbus from 'dbus-next';

export const LOGIND_NAME = 'org.freedesktop.login1';
export const MANAGER_PATH = '/org/freedesktop/login1';
const MANAGER_INTERFACE = 'org.freedesktop.login1.Manager';
const SESSION_INTERFACE = 'org.freedesktop.login1.Session';
const USER_INTERFACE = 'org.freedesktop.login1.User';
const PROPERTIES_INTERFACE = 'org.freedesktop.DBus.Properties';

export const DEFAULT_SYSTEM_BUS = 'unix:path=/run/dbus/system_bus_socket';

/** The system bus address: $DBUS_SYSTEM_BUS_ADDRESS or the standard socket. */
export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  const address = env.DBUS_SYSTEM_BUS_ADDRESS;
  return address !== undefined && address !== '' ? address : DEFAULT_SYSTEM_BUS;
}

/** How to find the session to watch, in this order. */
export interface SessionLookup {
  /** $XDG_SESSION_ID, when set (the session the locker was started in). */
  sessionId?: string;
  /** Our pid: works when we run inside the session's scope. */
  pid: number;
  /** Our uid: the user's display session (a systemd user unit runs outside any session). */
  uid: number;
}

export interface LogindEvents {
  lock: [];
  'prepare-for-sleep': [sleeping: boolean];
  error: [error: Error];
}

export class LogindClient extends EventEmitter<LogindEvents> {
  readonly sessionPath: string;
  readonly #bus: dbus.MessageBus;
  readonly #session: dbus.ClientInterface;
  readonly #sessionProperties: dbus.ClientInterface;

  private constructor(
    bus: dbus.MessageBus,
    sessionPath: string,
    manager: dbus.ClientInterface,
    session: dbus.ClientInterface,
    sessionProperties: dbus.ClientInterface,
  ) {
    super();
    this.#bus = bus;
    this.sessionPath = sessionPath;
    this.#session = session;
    this.#sessionProperties = sessionProperties;
    manager.on('PrepareForSleep', (sleeping: boolean) => this.emit('prepare-for-sleep', sleeping === true));
    session.on('Lock', () => this.emit('lock'));
  }

  static async connect(busAddress: string, lookup: SessionLookup, timeoutMs = 10_000): Promise<LogindClient> {
    const bus = dbus.sessionBus({ busAddress });
    // dbus-next reports a failed connection only as an 'error' event (pending
    // calls never settle): race the setup against it, and against a deadline.
    let onError!: (error: Error) => void;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_resolve, reject) => {
      onError = reject;
      bus.on('error', onError);
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const setup = async () => {
      const managerObject = await bus.getProxyObject(LOGIND_NAME, MANAGER_PATH);
      const manager = managerObject.getInterface(MANAGER_INTERFACE);
      const sessionPath = await findSession(bus, manager, lookup);
      const sessionObject = await bus.getProxyObject(LOGIND_NAME, sessionPath);
      const session = sessionObject.getInterface(SESSION_INTERFACE);
      const client = new LogindClient(bus, sessionPath, manager, session, sessionObject.getInterface(PROPERTIES_INTERFACE));
      // The match rules for the signals went out when the listeners were added;
      // one round trip to the bus makes sure they are in force before we return.
      await ping(bus);
      return client;
    };
    try {
      const client = await Promise.race([setup(), failed]);
      bus.off('error', onError);
      bus.on('error', (error: Error) => client.emit('error', error));
      return client;
    } catch (error) {
      bus.off('error', onError);
      // Later errors of the dead connection must not become unhandled 'error' events.
      bus.on('error', () => {});
      bus.disconnect();
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        message.startsWith('no logind session') ? message : `logind is not reachable on ${busAddress}: ${message}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells logind whether the session is locked (desktops and screen savers read it). */
  async setLockedHint(locked: boolean): Promise<void> {
    await this.#session.SetLockedHint!(locked);
  }

  /** The session's LockedHint as logind has it now. */
  async lockedHint(): Promise<boolean> {
    const value = (await this.#sessionProperties.Get!(SESSION_INTERFACE, 'LockedHint')) as dbus.Variant<boolean>;
    return value.value === true;
  }

  close(): void {
    this.#bus.disconnect();
  }
}

async function findSession(bus: dbus.MessageBus, manager: dbus.ClientInterface, lookup: SessionLookup): Promise<string> {
  const problems: string[] = [];
  if (lookup.sessionId !== undefined && lookup.sessionId !== '') {
    try {
      return (await manager.GetSession!(lookup.sessionId)) as string;
    } catch (error) {
      problems.push(`session ${lookup.sessionId}: ${(error as Error).message}`);
    }
  }
  try {
    return (await manager.GetSessionByPID!(lookup.pid)) as string;
  } catch (error) {
    problems.push(`pid ${lookup.pid}: ${(error as Error).message}`);
  }
  try {
    const userPath = (await manager.GetUser!(lookup.uid)) as string;
    const userObject = await bus.getProxyObject(LOGIND_NAME, userPath);
    const properties = userObject.getInterface(PROPERTIES_INTERFACE);
    const display = (await properties.Get!(USER_INTERFACE, 'Display')) as dbus.Variant<[string, string]>;
    const [, sessionPath] = display.value;
    if (sessionPath !== '/' && sessionPath !== '') return sessionPath;
    problems.push(`uid ${lookup.uid}: the user has no display session`);
  } catch (error) {
    problems.push(`uid ${lookup.uid}: ${(error as Error).message}`);
  }
  throw new Error(`no logind session to watch (${problems.join('; ')})`);
}

async function ping(bus: dbus.MessageBus): Promise<void> {
  await bus.call(
    new dbus.Message({
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus.Peer',
      member: 'Ping',
    }),
  );
}
