// The flags that choose where a host's engine comes from, the same for
// `gatehouse check`, `gatehouse serve` and the app:
//
//   (default)          an engine in this process, on the libpam addon
//   --source greetd    an engine in this process, its PAM transactions run by
//                      greetd (as greetd's greeter: $GREETD_SOCK); login only
//   --engine SOCKET    the engine daemon's (`gatehouse engine`), over its socket;
//                      login only, with the daemon's own configuration
//
// Parsing only: main/hosts/engine-choice.ts makes the engine a choice names.
import { isAbsolute } from 'node:path';
import type { Mode } from '../protocol';
import { UsageError, type FlagValues } from './flags';

export type EngineChoice =
  | { kind: 'in-process' }
  | { kind: 'greetd'; socketPath: string }
  | { kind: 'daemon'; socketPath: string };

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

/** The usage lines for the engine flags. */
export const ENGINE_FLAGS_HELP = `  --engine SOCKET         login through the engine daemon at SOCKET (gatehouse engine);
                          its own configuration applies
  --source greetd         login with greetd running PAM (as greetd's greeter: $GREETD_SOCK)`;
