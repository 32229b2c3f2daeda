// Where a host's engine comes from, chosen on the command line the same way for
// `gatehouse check`, `gatehouse serve` and the app:
//
//   (default)          an engine in this process, on the libpam addon
//   --source greetd    an engine in this process, its PAM transactions run by
//                      greetd (as greetd's greeter: $GREETD_SOCK); login only
//   --engine SOCKET    the engine daemon's (`gatehouse engine`), over its socket;
//                      login only, with the daemon's own configuration
import { isAbsolute } from 'node:path';
import type { Engine, EngineObserver } from '../auth/api';
import { createEngine } from '../auth';
import { UsageError, engineOptionsForSelection, type ConfigSelection, type FlagValues } from '../config';
import type { Mode } from '../protocol';
import { greetdSource } from '../sources/greetd';
import { changePasswordWithPasswd } from '../sources/passwd';
import { RemoteEngine } from './socket';

export type EngineChoice =
  | { kind: 'in-process' }
  | { kind: 'greetd'; socketPath: string }
  | { kind: 'daemon'; socketPath: string };

export type EngineFactory = (observer: EngineObserver) => Engine;

/** The flags that choose an engine (parseArgs options). */
export const ENGINE_FLAGS = {
  engine: { type: 'string' },
  source: { type: 'string' },
} as const;

/** The engine the flags choose; UsageError for combinations that cannot work. */
export function engineChoiceOf(values: FlagValues, mode: Mode, env: NodeJS.ProcessEnv = process.env): EngineChoice {
  if (values.engine !== undefined) {
    if (values.source !== undefined) throw new UsageError('--engine and --source exclude each other: the engine daemon has its own');
    if (mode !== 'login') throw new UsageError('--engine: the engine daemon runs logins only (login mode)');
    for (const flag of ['config', 'service', 'confdir', 'prompt-timeout'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply with --engine: the engine daemon has its own configuration`);
    }
    const socketPath = String(values.engine);
    if (!isAbsolute(socketPath)) throw new UsageError('--engine must be an absolute path');
    return { kind: 'daemon', socketPath };
  }
  const source = values.source === undefined ? 'addon' : String(values.source);
  if (source === 'addon') return { kind: 'in-process' };
  if (source !== 'greetd') throw new UsageError('--source must be addon or greetd');
  if (mode !== 'login') throw new UsageError('--source greetd: greetd runs logins only (login mode)');
  for (const flag of ['service', 'confdir'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --source greetd: greetd chooses its PAM service`);
  }
  const socketPath = env.GREETD_SOCK ?? '';
  if (socketPath === '') throw new UsageError('--source greetd: $GREETD_SOCK is not set (greetd sets it for its greeter)');
  return { kind: 'greetd', socketPath };
}

/**
 * The engine factory for a choice. The configuration (config file and flags) is
 * loaded here for engines in this process; a bad one throws UsageError.
 */
export function engineFactoryFor(choice: EngineChoice, mode: Mode, selection: ConfigSelection): EngineFactory {
  switch (choice.kind) {
    case 'daemon':
      return (observer) => new RemoteEngine({ socketPath: choice.socketPath, mode, observer });
    case 'greetd': {
      // greetd runs its own PAM service ("greetd"): the audit line names it.
      const options = { ...engineOptionsForSelection(selection, mode), service: 'greetd' };
      return (observer) => createEngine(options, observer, greetdSource(choice.socketPath));
    }
    case 'in-process': {
      const options = engineOptionsForSelection(selection, mode);
      // A host that runs as the user (unlock, elevate, check) changes an expired
      // password through the system's passwd (the config's passwordChange decides).
      return (observer) => createEngine(options, observer, { changePasswordOutOfProcess: changePasswordWithPasswd });
    }
  }
}

/** The usage lines for the engine flags. */
export const ENGINE_FLAGS_HELP = `  --engine SOCKET         login through the engine daemon at SOCKET (gatehouse engine);
                          its own configuration applies
  --source greetd         login with greetd running PAM (as greetd's greeter: $GREETD_SOCK)`;
