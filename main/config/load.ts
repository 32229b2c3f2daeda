// Loading the configuration: the JSON file, the host's overrides (command-line
// flags) on top, then validation. Anything wrong stops here, with every field
// and its problem named.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './errors';
import type { ConfigIssue } from './errors';
import { configSchema } from './schema';
import type { Config, ConfigInput } from './schema';

export const DEFAULT_CONFIG_PATH = '/etc/gatehouse/config.json';

/** What the hosts put on top of the file: any part of the configuration. */
export type ConfigOverrides = ConfigInput;

export interface LoadConfigOptions {
  /** The config file; default /etc/gatehouse/config.json (where a missing file means defaults). */
  path?: string;
  overrides?: ConfigOverrides;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const path = options.path ?? DEFAULT_CONFIG_PATH;
  const fromFile = readConfigFile(path, options.path === undefined);
  const merged = mergeOverrides(fromFile?.document ?? {}, options.overrides ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(describeIssues(result.error), fromFile?.path);
  return result.data;
}

/** The file's JSON document, or undefined when the default file does not exist. */
function readConfigFile(path: string, isDefault: boolean): { path: string; document: unknown } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && isDefault) return undefined;
    const problem =
      code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code})`;
    throw new ConfigError([{ field: '', problem }], path);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ field: '', problem: `not valid JSON (${(error as Error).message})` }], path);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError([{ field: '', problem: 'must be a JSON object' }], path);
  }
  return { path, document };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Overrides win field by field; objects merge, anything else (arrays too) replaces. */
export function mergeOverrides(base: unknown, overrides: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides === undefined ? base : overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    // defineProperty: a key named __proto__ stays a plain (and then unknown) field.
    Object.defineProperty(merged, key, {
      value: mergeOverrides(merged[key], value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

function fieldName(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function describeIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    const field = fieldName(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        return { field, problem: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
      case 'invalid_type':
        // zod says what it received but not whether it was there at all.
        return { field, problem: issue.message.endsWith('received undefined') ? 'is required' : `must be ${article(issue.expected)}` };
      case 'invalid_union':
        return { field, problem: issue.message };
      case 'too_small':
        return { field, problem: issue.message.startsWith('Too small') ? `must be at least ${String(issue.minimum)}` : issue.message };
      case 'too_big':
        return { field, problem: issue.message.startsWith('Too big') ? `must be at most ${String(issue.maximum)}` : issue.message };
      case 'invalid_value':
        return { field, problem: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
      default:
        return { field, problem: issue.message };
    }
  });
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
