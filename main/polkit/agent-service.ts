// The org.freedesktop.PolicyKit1.AuthenticationAgent object on the system bus:
//
//   BeginAuthentication(s action_id, s message, s icon_name, a{ss} details,
//                       s cookie, a(sa{sv}) identities)    replies when the request ends
//   CancelAuthentication(s cookie)
//
// Only the current owner of org.freedesktop.PolicyKit1 may call them: polkitd's
// own agents do not check, but nobody else has a reason to start (or cancel) an
// authentication dialog, and a look-alike dialog raised by another program is
// exactly what a person must be able to trust this one is not.
import * as dbus from 'dbus-next';
import { AGENT_PATH } from './bus-calls';
import { NoIdentityError, presentRequest, type PresentedRequest } from './presentation';
import { BEGIN_SIGNATURE, checkCookie, parseBeginAuthentication, type AuthenticationRequest } from './request';
import { POLKIT_ERRORS, type BeginReply, type RequestQueue } from './request-queue';

export const AGENT_INTERFACE = 'org.freedesktop.PolicyKit1.AuthenticationAgent';

const INTROSPECTION = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="${AGENT_INTERFACE}">
    <method name="BeginAuthentication">
      <arg name="action_id" direction="in" type="s"/>
      <arg name="message" direction="in" type="s"/>
      <arg name="icon_name" direction="in" type="s"/>
      <arg name="details" direction="in" type="a{ss}"/>
      <arg name="cookie" direction="in" type="s"/>
      <arg name="identities" direction="in" type="a(sa{sv})"/>
    </method>
    <method name="CancelAuthentication">
      <arg name="cookie" direction="in" type="s"/>
    </method>
  </interface>
  <interface name="org.freedesktop.DBus.Introspectable">
    <method name="Introspect">
      <arg name="xml_data" direction="out" type="s"/>
    </method>
  </interface>
</node>`;

export interface AgentServiceOptions {
  queue: RequestQueue;
  log(entry: Record<string, unknown>): void;
  present?(request: AuthenticationRequest): Promise<PresentedRequest>;
}

export class AgentService {
  readonly #bus: dbus.MessageBus;
  readonly #options: AgentServiceOptions;
  /** The unique bus name of polkitd now; undefined while it is not running. */
  #authority: string | undefined;

  constructor(bus: dbus.MessageBus, options: AgentServiceOptions) {
    this.#bus = bus;
    this.#options = options;
  }

  set authority(owner: string | undefined) {
    this.#authority = owner === '' ? undefined : owner;
  }

  get authority(): string | undefined {
    return this.#authority;
  }

  /** A dbus-next method handler: true when the call was for this object. */
  readonly handle = (message: dbus.Message): boolean => {
    if (message.path !== AGENT_PATH) return false;
    if (message.interface === 'org.freedesktop.DBus.Introspectable' && message.member === 'Introspect') {
      this.#bus.send(dbus.Message.newMethodReturn(message, 's', [INTROSPECTION]));
      return true;
    }
    if (message.interface !== AGENT_INTERFACE) return false;
    if (this.#authority === undefined || message.sender !== this.#authority) {
      this.#options.log({ event: 'polkit-call-refused', member: message.member ?? null, reason: 'not from polkitd' });
      this.#error(message, 'org.freedesktop.DBus.Error.AccessDenied', 'only polkitd may call the authentication agent');
      return true;
    }
    switch (message.member) {
      case 'BeginAuthentication':
        if (message.signature !== BEGIN_SIGNATURE) return this.#badSignature(message);
        void this.#begin(message).then((reply) => this.#reply(message, reply));
        return true;
      case 'CancelAuthentication':
        if (message.signature !== 's') return this.#badSignature(message);
        this.#cancel(message);
        return true;
      default:
        return false;
    }
  };

  async #begin(message: dbus.Message): Promise<BeginReply> {
    const parsed = parseBeginAuthentication(message.body);
    if (!parsed.ok) {
      this.#options.log({ event: 'polkit-call-refused', member: 'BeginAuthentication', reason: parsed.problem });
      return { ok: false, error: POLKIT_ERRORS.failed, message: `BeginAuthentication: ${parsed.problem}` };
    }
    let presented: PresentedRequest;
    try {
      presented = await (this.#options.present ?? presentRequest)(parsed.value);
    } catch (error) {
      const text = error instanceof NoIdentityError ? error.message : 'the request could not be prepared';
      this.#options.log({ event: 'polkit-call-refused', member: 'BeginAuthentication', action: parsed.value.actionId, reason: text });
      return { ok: false, error: POLKIT_ERRORS.failed, message: text };
    }
    return this.#options.queue.begin(presented);
  }

  #cancel(message: dbus.Message): void {
    const cookie: unknown = message.body[0];
    // Like polkit's own agents, an unknown cookie is an error (but never quoted).
    if (checkCookie(cookie) !== undefined || !this.#options.queue.cancel(cookie as string)) {
      this.#error(message, POLKIT_ERRORS.failed, 'no pending authentication request has this cookie');
      return;
    }
    this.#bus.send(dbus.Message.newMethodReturn(message, '', []));
  }

  #reply(message: dbus.Message, reply: BeginReply): void {
    try {
      if (reply.ok) this.#bus.send(dbus.Message.newMethodReturn(message, '', []));
      else this.#error(message, reply.error, reply.message);
    } catch (error) {
      // The connection went away while the request was shown: nobody is left to answer.
      this.#options.log({ event: 'polkit-reply-failed', error: error instanceof Error ? error.message : typeof error });
    }
  }

  #badSignature(message: dbus.Message): true {
    this.#error(message, 'org.freedesktop.DBus.Error.InvalidArgs', `${message.member ?? ''}: unexpected signature`);
    return true;
  }

  #error(message: dbus.Message, name: string, text: string): void {
    // dbus-next's typings declare newError's first parameter as a string; it takes the call.
    this.#bus.send(dbus.Message.newError(message as unknown as string, name, text));
  }
}
