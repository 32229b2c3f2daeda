// From a configuration to the options of one engine (one mode, one seat).
import { userInfo } from 'node:os';
import type { EngineOptions, SessionChoice } from '../auth/api';
import { groupMembersSync } from '../auth/accounts';
import type { Mode } from '../protocol';
import { discoverSessions, type DiscoveryOptions } from '../sessions';
import { environmentLocale } from '../auth/locale';
import { ConfigError } from './errors';
import { identityOf, systemIdentitySources, withPictures } from './identity';
import type { IdentitySources } from './identity';
import { configuredLayout, systemKeyboardLayouts, systemKeyboardSources } from './keyboard-layouts';
import type { KeyboardSources } from './keyboard-layouts';
import { defaultStateDir } from './state-dir';
import type { Config } from './schema';
import { userListFor } from './user-list';

export interface EngineContext {
  /** unlock: the session owner; elevate: the requesting user. Default: the user running Gatehouse. */
  user?: string;
  /** login without login.sessions: where to look for installed sessions (default: the standard directories). */
  discovery?: DiscoveryOptions;
  /** Where names, pictures and keyboard layouts come from (the system's; tests give their own). */
  system?: SystemFacts;
}

/** What engine options read from the system besides the configuration. */
export interface SystemFacts {
  /** The environment (the locale when none is configured). */
  env: NodeJS.ProcessEnv;
  identities: IdentitySources;
  keyboard: KeyboardSources;
}

export const systemFacts = (): SystemFacts => ({ env: process.env, identities: systemIdentitySources, keyboard: systemKeyboardSources });

/** The screens' language: the configured one, else the environment's (LC_ALL, LC_MESSAGES, LANG). */
export function screenLocale(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  return config.locale ?? environmentLocale(env);
}

export function engineOptionsFor(config: Config, mode: Mode, context: EngineContext = {}): EngineOptions {
  const runningAsRoot = process.getuid?.() === 0;
  const system = context.system ?? systemFacts();
  const layouts = config.keyboardLayouts?.map(configuredLayout) ?? systemKeyboardLayouts(system.keyboard);
  const options: EngineOptions = {
    mode,
    service: config.services[mode],
    ...(config.confDir === undefined ? {} : { confDir: config.confDir }),
    users: [],
    promptTimeoutMs: config.timeouts.promptMs,
    passwordChange: config.passwordChange,
    power: [],
    locale: screenLocale(config, system.env),
    theme: config.theme,
    ...(layouts.length === 0 ? {} : { keyboardLayouts: layouts }),
  };
  const { enabled, maxFailures, windowMs, lockMs, mechanism, stateDir, minFailDelayMs } = config.lockout;
  if (enabled) options.lockout = { maxFailures, windowMs, lockMs, mechanism, stateDir: stateDir ?? defaultStateDir() };
  options.minFailDelayMs = minFailDelayMs;
  switch (mode) {
    case 'login': {
      const login = config.login;
      options.login = {
        sessions: loginSessions(config, options.locale, context.discovery),
        sessionType: login.sessionType,
        sessionClass: login.sessionClass,
        seat: login.seat,
        ...(login.vt === undefined ? {} : { vtnr: login.vt }),
        ...(login.tty === undefined ? {} : { tty: login.tty }),
        ...(login.display === undefined ? {} : { display: login.display }),
      };
      options.users = withPictures(userListFor(config.users), system.identities);
      options.power = [...config.power.allowed];
      options.powerCommands = Object.fromEntries(
        Object.entries(config.power.commands).filter(([, argv]) => argv !== undefined),
      );
      break;
    }
    case 'unlock':
      options.user = context.user ?? userInfo().username;
      options.identity = identityOf(options.user, listedName(config, options.user), system.identities);
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
        options.users = withPictures(
          groupMembersSync(adminGroup).map((name) => {
            const displayName = identityOf(name, listedName(config, name), system.identities).displayName;
            return displayName === undefined ? { name } : { name, displayName };
          }),
          system.identities,
        );
        if (context.user !== undefined) options.user = context.user;
      } else {
        options.user = context.user ?? userInfo().username;
      }
      if (options.user !== undefined) {
        options.identity = identityOf(options.user, listedName(config, options.user), system.identities);
      }
      break;
    }
  }
  return options;
}

/** The configured sessions, or else the installed ones; none at all is a configuration error. */
function loginSessions(config: Config, locale: string, discovery: DiscoveryOptions = {}): SessionChoice[] {
  const configured = config.login.sessions;
  if (configured !== undefined) {
    return configured.map((s) => ({
      id: s.id,
      name: s.name,
      command: [...s.argv],
      ...(s.type === undefined ? {} : { type: s.type }),
      ...(s.desktopNames === undefined ? {} : { desktopNames: [...s.desktopNames] }),
    }));
  }
  // Session names in the screens' language (the configured or the environment's).
  const found = discoverSessions({ locale, ...discovery });
  if (found.sessions.length > 0) {
    return found.sessions.map((s) => ({ id: s.id, name: s.name, command: [...s.argv], type: s.type, desktopNames: [...s.desktopNames] }));
  }
  const skipped = found.skipped.length === 0 ? '' : `; ${found.skipped.length} entr${found.skipped.length === 1 ? 'y' : 'ies'} there cannot be used (gatehouse check --config lists why)`;
  throw new ConfigError([
    {
      field: 'login.sessions',
      problem: `not set, and no desktop session is installed (looked in ${found.searched.join(', ')}${skipped}): install a desktop, or list sessions in login.sessions`,
    },
  ]);
}

/** The display name the configuration's user list gives `name`, if any. */
function listedName(config: Config, name: string): string | undefined {
  return config.users.source === 'list' ? config.users.users.find((u) => u.name === name)?.displayName : undefined;
}
