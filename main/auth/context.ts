// The `context` event: what a UI needs to draw its screen, sent in reply to `hello`.
import { event } from '../protocol';
import type { EventOf } from '../protocol';
import type { ElevateRequest } from '../protocol';
import type { ElevateSettings, EngineOptions } from './api';

export function contextEvent(options: EngineOptions, fixedUser: string | undefined, running: boolean): EventOf<'context'> {
  const elevate = options.mode === 'elevate' ? options.elevate : undefined;
  return event({
    type: 'context',
    mode: options.mode,
    ...(fixedUser === undefined ? {} : { user: fixedUser }),
    // The identity describes the configured user; a fixed user that is someone else is shown by name.
    ...(options.identity === undefined || fixedUser === undefined || fixedUser !== options.user
      ? {}
      : { identity: { ...options.identity } }),
    users: options.users.map((u) => ({ ...u })),
    sessions: options.login?.sessions.map((s) => ({ id: s.id, name: s.name })) ?? [],
    power: options.mode === 'login' ? [...options.power] : [],
    ...(elevate === undefined ? {} : { elevate: elevateRequestOf(elevate) }),
    locale: options.locale,
    theme: options.theme,
    ...(options.keyboardLayouts === undefined ? {} : { keyboardLayouts: options.keyboardLayouts.map((l) => ({ ...l })) }),
    running,
  });
}

function elevateRequestOf(elevate: ElevateSettings): ElevateRequest {
  return {
    action: elevate.action,
    program: elevate.program,
    ...(elevate.actionId === undefined ? {} : { actionId: elevate.actionId }),
    ...(elevate.details === undefined ? {} : { details: elevate.details.map((d) => ({ name: d.name, value: d.value })) }),
    ...(elevate.request === undefined ? {} : { request: elevate.request }),
  };
}
