// From a configuration to the options of one engine (one mode, one seat).
import { userInfo } from 'node:os';
import type { EngineOptions, SessionChoice } from '../auth/api';
import { groupMembersSync } from '../auth/accounts';
import type { Mode } from '../protocol';
import { discoverSessions, type DiscoveryOptions } from '../sessions';
import { ConfigError } from './errors';
import type { Config } from './schema';
import { userListFor } from './user-list';

export interface EngineContext {
  /** unlock: the session owner; elevate: the requesting user. Default: the user running Gatehouse. */
  user?: string;
  /** login without login.sessions: where to look for installed sessions (default: the standard directories). */
  discovery?: DiscoveryOptions;
}

export function engineOptionsFor(config: Config, mode: Mode, context: EngineContext = {}): EngineOptions {
  const runningAsRoot = process.getuid?.() === 0;
  const options: EngineOptions = {
    mode,
    service: config.services[mode],
    ...(config.confDir === undefined ? {} : { confDir: config.confDir }),
    users: [],
    promptTimeoutMs: config.timeouts.promptMs,
    passwordChange: config.passwordChange,
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
      options.login = {
        sessions: loginSessions(config, context.discovery),
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

/** The configured sessions, or else the installed ones; none at all is a configuration error. */
function loginSessions(config: Config, discovery: DiscoveryOptions = {}): SessionChoice[] {
  const configured = config.login.sessions;
  if (configured !== undefined) return configured.map((s) => ({ id: s.id, name: s.name, command: [...s.argv] }));
  const found = discoverSessions({ locale: config.locale, ...discovery });
  if (found.sessions.length > 0) return found.sessions.map((s) => ({ id: s.id, name: s.name, command: [...s.argv] }));
  const skipped = found.skipped.length === 0 ? '' : `; ${found.skipped.length} entr${found.skipped.length === 1 ? 'y' : 'ies'} there cannot be used (gatehouse check --config lists why)`;
  throw new ConfigError([
    {
      field: 'login.sessions',
      problem: `not set, and no desktop session is installed (looked in ${found.searched.join(', ')}${skipped}): install a desktop, or list sessions in login.sessions`,
    },
  ]);
}
