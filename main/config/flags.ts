// The configuration flags every host takes — --config, --service, --confdir,
// --user, --prompt-timeout — parsed in one place for `gatehouse check`, `gatehouse
// serve` (main/cli.ts) and the Electron app (main/launch/command-line.ts),
// and turned into the engine's options the same way everywhere.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EngineOptions } from '../auth/api';
import { MODES, type Mode } from '../protocol';
import { engineOptionsFor } from './engine-options';
import { ConfigError } from './errors';
import { loadConfig, type ConfigOverrides } from './load';
import type { Config } from './schema';

/** A command line that cannot be run as given; the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const CONFIG_FLAGS = {
  config: { type: 'string' },
  service: { type: 'string' },
  confdir: { type: 'string' },
  user: { type: 'string' },
  'prompt-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export type FlagValues = Record<string, string | boolean | undefined>;

export const MAX_PROMPT_TIMEOUT_MS = 2_147_483_647;

/** The config file and the flags that go on top of it. */
export interface ConfigSelection {
  path?: string;
  overrides: ConfigOverrides;
  /** unlock: the session owner; elevate: the requesting user; login: preselected. */
  user?: string;
}

/** Strict parsing: an unknown flag or a missing value is a UsageError naming the flag. */
export function parseFlags(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = true,
): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    // parseArgs names the offending option, never the value of another one.
    throw new UsageError((error as Error).message);
  }
}

/** The config selection the CONFIG_FLAGS of `values` make, for `mode`. */
export function configSelection(values: FlagValues, mode: Mode): ConfigSelection {
  const overrides: ConfigOverrides = {};
  if (values.service !== undefined) overrides.services = { [mode]: serviceFlag(String(values.service)) };
  if (values.confdir !== undefined) overrides.confDir = directoryFlag(String(values.confdir), '--confdir');
  const promptMs = integerFlag(values['prompt-timeout'], '--prompt-timeout', 0, MAX_PROMPT_TIMEOUT_MS);
  if (promptMs !== undefined) overrides.timeouts = { promptMs };
  const selection: ConfigSelection = { overrides };
  if (values.config !== undefined) selection.path = nonEmptyFlag(String(values.config), '--config');
  if (values.user !== undefined) selection.user = nonEmptyFlag(String(values.user), '--user');
  return selection;
}

/** The config file with the flags on top; a bad config is a UsageError naming the field. */
export function loadSelection(selection: ConfigSelection): Config {
  try {
    return loadConfig({ ...(selection.path === undefined ? {} : { path: selection.path }), overrides: selection.overrides });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export function engineOptionsForSelection(selection: ConfigSelection, mode: Mode): EngineOptions {
  const config = loadSelection(selection);
  try {
    return engineOptionsFor(config, mode, selection.user === undefined ? {} : { user: selection.user });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export function modeFlag(value: string | boolean | undefined, flag: string): Mode {
  if (typeof value === 'string' && (MODES as readonly string[]).includes(value)) return value as Mode;
  throw new UsageError(`${flag} must be one of ${MODES.join(', ')}`);
}

/** A whole number from `min` to `max`, or undefined when the flag is absent. */
export function integerFlag(value: string | boolean | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}`);
  return n;
}

export function nonEmptyFlag(value: string, flag: string): string {
  if (value === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

export function serviceFlag(value: string): string {
  if (value === '' || value.includes('/')) throw new UsageError('--service must be a PAM service name (not empty, no /)');
  return value;
}

/** An existing directory, made absolute (the configuration takes absolute paths only). */
export function directoryFlag(path: string, flag: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new UsageError(`${flag}: ${path.slice(0, 256)} is not a directory`);
  return resolve(path);
}
