// The few D-Bus calls the agent makes, as plain method calls on a dbus-next
// connection (no introspection round trips): polkitd's Authority, the bus
// itself, and logind for the session to serve.
import * as dbus from 'dbus-next';
import { subjectValue, type AgentSubject } from './subject';

export const POLKIT_NAME = 'org.freedesktop.PolicyKit1';
const AUTHORITY_PATH = '/org/freedesktop/PolicyKit1/Authority';
const AUTHORITY_INTERFACE = 'org.freedesktop.PolicyKit1.Authority';
/** Where polkit's own agents export the AuthenticationAgent object. */
export const AGENT_PATH = '/org/freedesktop/PolicyKit1/AuthenticationAgent';

const BUS_NAME = 'org.freedesktop.DBus';
const BUS_PATH = '/org/freedesktop/DBus';

const LOGIND_NAME = 'org.freedesktop.login1';

function call(bus: dbus.MessageBus, message: ConstructorParameters<typeof dbus.Message>[0]): Promise<dbus.Message | null> {
  return bus.call(new dbus.Message(message));
}

export interface RegisterOptions {
  /** polkit's `fallback`: serve only when no other agent does (pkttyagent --fallback). */
  fallback: boolean;
}

/** Authority.RegisterAuthenticationAgentWithOptions(subject, locale, object_path, options). */
export async function registerAgent(
  bus: dbus.MessageBus,
  subject: AgentSubject,
  locale: string,
  options: RegisterOptions,
): Promise<void> {
  await call(bus, {
    destination: POLKIT_NAME,
    path: AUTHORITY_PATH,
    interface: AUTHORITY_INTERFACE,
    member: 'RegisterAuthenticationAgentWithOptions',
    signature: '(sa{sv})ssa{sv}',
    body: [subjectValue(subject), locale, AGENT_PATH, options.fallback ? { fallback: new dbus.Variant('b', true) } : {}],
  });
}

/** Authority.UnregisterAuthenticationAgent(subject, object_path). */
export async function unregisterAgent(bus: dbus.MessageBus, subject: AgentSubject): Promise<void> {
  await call(bus, {
    destination: POLKIT_NAME,
    path: AUTHORITY_PATH,
    interface: AUTHORITY_INTERFACE,
    member: 'UnregisterAuthenticationAgent',
    signature: '(sa{sv})s',
    body: [subjectValue(subject), AGENT_PATH],
  });
}

/** The unique name owning `name` now, or undefined when nobody does. */
export async function nameOwner(bus: dbus.MessageBus, name: string): Promise<string | undefined> {
  try {
    const reply = await call(bus, { destination: BUS_NAME, path: BUS_PATH, interface: BUS_NAME, member: 'GetNameOwner', signature: 's', body: [name] });
    const owner = reply?.body[0];
    return typeof owner === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Subscribes this connection to NameOwnerChanged for `name` (handled in the bus's 'message' listener). */
export async function watchNameOwner(bus: dbus.MessageBus, name: string): Promise<void> {
  await call(bus, {
    destination: BUS_NAME,
    path: BUS_PATH,
    interface: BUS_NAME,
    member: 'AddMatch',
    signature: 's',
    body: [`type='signal',sender='${BUS_NAME}',interface='${BUS_NAME}',member='NameOwnerChanged',path='${BUS_PATH}',arg0='${name}'`],
  });
}

/** The new owner if `message` is the bus's NameOwnerChanged for `name` ('' when it vanished). */
export function nameOwnerChange(message: dbus.Message, name: string): string | undefined {
  if (message.type !== dbus.MessageType.SIGNAL || message.sender !== BUS_NAME) return undefined;
  if (message.interface !== BUS_NAME || message.member !== 'NameOwnerChanged' || message.body[0] !== name) return undefined;
  const owner = message.body[2];
  return typeof owner === 'string' ? owner : undefined;
}

/**
 * The logind session to serve, as polkitd itself finds the session of a process:
 * the session `pid` belongs to, else (a systemd user unit runs outside any
 * session) the display session of `uid`.
 */
export async function sessionIdOf(bus: dbus.MessageBus, pid: number, uid: number): Promise<string> {
  const manager = { destination: LOGIND_NAME, path: '/org/freedesktop/login1', interface: 'org.freedesktop.login1.Manager' };
  let sessionPath: unknown;
  try {
    sessionPath = (await call(bus, { ...manager, member: 'GetSessionByPID', signature: 'u', body: [pid] }))?.body[0];
  } catch (error) {
    const userPath = (await call(bus, { ...manager, member: 'GetUser', signature: 'u', body: [uid] }))?.body[0];
    if (typeof userPath !== 'string') throw error;
    const display = await property(bus, userPath, 'org.freedesktop.login1.User', 'Display');
    sessionPath = Array.isArray(display) ? display[1] : undefined;
    if (sessionPath === '/') throw new Error(`process ${pid} is in no session, and user ${uid} has no display session`);
  }
  if (typeof sessionPath !== 'string') throw new Error('logind gave no session');
  const id = await property(bus, sessionPath, 'org.freedesktop.login1.Session', 'Id');
  if (typeof id !== 'string') throw new Error('logind gave no session id');
  return id;
}

async function property(bus: dbus.MessageBus, path: string, iface: string, name: string): Promise<unknown> {
  const reply = await call(bus, {
    destination: LOGIND_NAME,
    path,
    interface: 'org.freedesktop.DBus.Properties',
    member: 'Get',
    signature: 'ss',
    body: [iface, name],
  });
  return (reply?.body[0] as dbus.Variant | undefined)?.value;
}
