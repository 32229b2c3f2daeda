// From a configuration to the options of one engine (one mode, one seat).
import { userInfo } from 'node:os';
import type { EngineOptions } from '../auth/api';
import { groupMembersSync } from '../auth/accounts';
import type { Mode } from '../protocol';
import { ConfigError } from './errors';
import type { Config } from './schema';
import { userListFor } from './user-list';

export interface EngineContext {
  /** unlock: the session owner; elevate: the requesting user. Default: the user running Gatehouse. */
  user?: string;
}

export function engineOptionsFor(config: Config, mode: Mode, context: EngineContext = {}): EngineOptions {
  const runningAsRoot = process.getuid?.() === 0;
  const options: EngineOptions = {
    mode,
    service: config.services[mode],
    ...(config.confDir === undefined ? {} : { confDir: config.confDir }),
    users: [],
    promptTimeoutMs: config.timeouts.promptMs,
    power: [],
    locale: config.locale,
    theme: config.theme,
  };
  if (config.lockout.enabled) {
    const { maxFailures, windowMs, lockMs } = config.lockout;
    options.lockout = { maxFailures, windowMs, lockMs };
  }
  switch (mode) {
    case 'login': {
      const login = config.login;
      if (login.sessions.length === 0) {
        throw new ConfigError([{ field: 'login.sessions', problem: 'the login screen needs at least one session' }]);
      }
      options.login = {
        sessions: login.sessions.map((s) => ({ id: s.id, name: s.name, command: [...s.argv] })),
        sessionType: login.sessionType,
        sessionClass: login.sessionClass,
        seat: login.seat,
        ...(login.vt === undefined ? {} : { vtnr: login.vt }),
        ...(login.tty === undefined ? {} : { tty: login.tty }),
        ...(login.display === undefined ? {} : { display: login.display }),
      };
      options.users = userListFor(config.users);
      options.power = [...config.power.allowed];
      options.powerCommands = Object.fromEntries(
        Object.entries(config.power.commands).filter(([, argv]) => argv !== undefined),
      );
      break;
    }
    case 'unlock':
      options.user = context.user ?? userInfo().username;
      break;
    case 'elevate': {
      const { adminGroup, action, program, command } = config.elevate;
      options.elevate = {
        action,
        program,
        ...(adminGroup === null ? {} : { adminGroup }),
        ...(command === undefined ? {} : { command: [...command] }),
      };
      if (runningAsRoot && adminGroup !== null) {
        // Administrators confirm: the UI offers the group's members.
        options.users = groupMembersSync(adminGroup).map((name) => ({ name }));
        if (context.user !== undefined) options.user = context.user;
      } else {
        options.user = context.user ?? userInfo().username;
      }
      break;
    }
  }
  return options;
}
