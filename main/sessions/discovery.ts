// The desktop sessions installed on this machine: the desktop entries in
// wayland-sessions/ and xsessions/ of each data directory ($XDG_DATA_DIRS, by
// default /usr/local/share and /usr/share), as display managers read them.
//
// An entry is offered when it is a usable session: Name and Exec set, its
// program (and TryExec, if any) found and executable, neither Hidden nor
// NoDisplay. Every entry that is not offered is listed with the reason, so that
// `gatehouse check --config` can say why a session is missing.
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import {
  booleanValue,
  listValue,
  localizedValue,
  parseDesktopEntry,
  parseExec,
  shorten,
  type DesktopEntry,
  type ParseResult,
} from './desktop-entry';

export type SessionType = 'wayland' | 'x11';

export interface DiscoveredSession {
  /** The desktop file id (file name without .desktop); `-x11` appended when a Wayland session has the same id. */
  id: string;
  /** Name, localized for the configured locale. */
  name: string;
  comment?: string;
  /** Exec, as argv: the session command. */
  argv: string[];
  type: SessionType;
  /** DesktopNames: what XDG_CURRENT_DESKTOP becomes. */
  desktopNames: string[];
  /** The desktop entry it came from. */
  file: string;
}

export interface SkippedEntry {
  file: string;
  reason: string;
}

export interface SessionDiscovery {
  /** The sessions to offer, sorted by name; the first is the default. */
  sessions: DiscoveredSession[];
  /** Entries not offered, and why. */
  skipped: SkippedEntry[];
  /** The directories looked in, in order of precedence. */
  searched: string[];
}

export interface DiscoveryOptions {
  /** Data directories, most important first. Default: $XDG_DATA_DIRS, else /usr/local/share and /usr/share. */
  dataDirs?: readonly string[];
  /** For the localized Name and Comment (a language tag such as de or pt-BR). */
  locale?: string;
  /** Where TryExec and Exec programs without a slash are looked up. Default: $PATH, else the usual bin directories. */
  searchPath?: string;
}

/** Where sessions live below a data directory, and their type. Wayland first: it wins an id both have. */
export const SESSION_SUBDIRS: readonly { subdir: string; type: SessionType }[] = [
  { subdir: 'wayland-sessions', type: 'wayland' },
  { subdir: 'xsessions', type: 'x11' },
];

export const DEFAULT_DATA_DIRS: readonly string[] = ['/usr/local/share', '/usr/share'];
const DEFAULT_SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A desktop entry larger than this is not a session file. */
export const MAX_ENTRY_BYTES = 64 * 1024;
/** At most this many sessions are offered (the UI lists them all). */
export const MAX_SESSIONS = 100;
const MAX_NAME = 128;
const ID = /^[A-Za-z0-9._-]{1,64}$/;

export function discoverSessions(options: DiscoveryOptions = {}): SessionDiscovery {
  const dataDirs = options.dataDirs ?? dataDirsFromEnvironment(process.env.XDG_DATA_DIRS);
  const searchPath = options.searchPath ?? (process.env.PATH !== undefined && process.env.PATH !== '' ? process.env.PATH : DEFAULT_SEARCH_PATH);
  const searched: string[] = [];
  const skipped: SkippedEntry[] = [];
  // Per type, the first data directory that has a file id wins (XDG precedence).
  const byTypeAndId = new Map<string, DiscoveredSession>();

  for (const { subdir, type } of SESSION_SUBDIRS) {
    for (const dataDir of dataDirs) {
      const dir = join(dataDir, subdir);
      searched.push(dir);
      for (const fileName of desktopFiles(dir)) {
        const file = join(dir, fileName);
        const fileId = fileName.slice(0, -'.desktop'.length);
        const key = `${type}:${fileId}`;
        const earlier = byTypeAndId.get(key);
        if (earlier !== undefined) {
          skipped.push({ file, reason: `overridden by ${earlier.file}` });
          continue;
        }
        const result = readSession(file, fileId, type, options.locale, searchPath);
        if (!result.ok) {
          skipped.push({ file, reason: result.reason });
          continue;
        }
        byTypeAndId.set(key, result.value);
      }
    }
  }

  const sessions = assignIds([...byTypeAndId.values()], skipped);
  sessions.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  for (const extra of sessions.splice(MAX_SESSIONS)) {
    skipped.push({ file: extra.file, reason: `more than ${MAX_SESSIONS} sessions` });
  }
  return { sessions, skipped, searched };
}

/** $XDG_DATA_DIRS as the spec reads it: absolute entries only; unset or empty means the defaults. */
export function dataDirsFromEnvironment(value: string | undefined): string[] {
  const dirs = (value ?? '').split(':').filter((dir) => isAbsolute(dir));
  return dirs.length > 0 ? dirs : [...DEFAULT_DATA_DIRS];
}

function desktopFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // a missing directory holds no sessions
  }
  return names.filter((name) => name.endsWith('.desktop') && !name.startsWith('.')).sort();
}

function readSession(
  file: string,
  fileId: string,
  type: SessionType,
  locale: string | undefined,
  searchPath: string,
): ParseResult<DiscoveredSession> {
  if (!ID.test(fileId)) return fail('the file name is not a usable session id (1 to 64 letters, digits, . _ -)');
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail('not a regular file');
    if (stat.size > MAX_ENTRY_BYTES) return fail(`larger than ${MAX_ENTRY_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseDesktopEntry(text);
  if (!parsed.ok) return parsed;
  const entry = parsed.value;

  const typeKey = entry.get('Type');
  if (typeKey !== undefined && typeKey !== 'Application' && typeKey !== 'XSession') {
    return fail(`Type is ${shorten(typeKey)}, not Application`);
  }
  for (const flag of ['Hidden', 'NoDisplay'] as const) {
    const value = booleanValue(entry, flag);
    if (!value.ok) return value;
    if (value.value) return fail(`${flag}=true`);
  }
  const name = displayText(localizedValue(entry, 'Name', locale));
  if (name === undefined) return fail('no Name');
  const rawExec = entry.get('Exec');
  if (rawExec === undefined) return fail('no Exec');
  const argv = parseExec(rawExec);
  if (!argv.ok) return argv;
  const tryExec = entry.get('TryExec');
  if (tryExec !== undefined && findProgram(tryExec, searchPath) === undefined) {
    return fail(`TryExec ${shorten(tryExec)} is not installed`);
  }
  if (findProgram(argv.value[0]!, searchPath) === undefined) {
    return fail(`its program ${shorten(argv.value[0]!)} is not installed`);
  }
  const comment = displayText(localizedValue(entry, 'Comment', locale));
  return {
    ok: true,
    value: {
      id: fileId,
      name,
      ...(comment === undefined ? {} : { comment }),
      argv: argv.value,
      type,
      desktopNames: desktopNames(entry),
      file,
    },
  };
}

function desktopNames(entry: DesktopEntry): string[] {
  // XDG_CURRENT_DESKTOP is a :-separated list: its items cannot hold a colon.
  return listValue(entry, 'DesktopNames').filter((name) => !name.includes(':') && !name.includes('\0'));
}

/** The ids sessions are chosen by: a Wayland session keeps its file id, an X11 one with the same id gets -x11. */
function assignIds(sessions: DiscoveredSession[], skipped: SkippedEntry[]): DiscoveredSession[] {
  const taken = new Set(sessions.filter((s) => s.type === 'wayland').map((s) => s.id));
  const result: DiscoveredSession[] = [];
  for (const session of sessions) {
    if (session.type === 'wayland') {
      result.push(session);
      continue;
    }
    if (!taken.has(session.id)) {
      taken.add(session.id);
      result.push(session);
      continue;
    }
    const id = `${session.id}-x11`;
    if (taken.has(id) || !ID.test(id)) {
      skipped.push({ file: session.file, reason: `its id ${session.id} is taken by a Wayland session, and so is ${id}` });
      continue;
    }
    taken.add(id);
    result.push({ ...session, id, name: `${session.name} (X11)`.slice(0, MAX_NAME) });
  }
  return result;
}

/** Shown text: control characters removed, at most 128 characters; undefined when empty. */
function displayText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, MAX_NAME);
  return text === '' ? undefined : text;
}

/** An executable regular file: the path itself when it has a slash, else looked up in searchPath. */
export function findProgram(program: string, searchPath: string): string | undefined {
  if (program === '' || program.includes('\0')) return undefined;
  if (program.includes('/')) return isAbsolute(program) && isExecutableFile(program) ? program : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (!isAbsolute(dir)) continue; // a relative PATH entry depends on the working directory: never
    const candidate = join(dir, program);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
