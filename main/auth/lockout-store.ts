// Where the lockout's tallies live: an append-only file of JSON lines in a
// private state directory (root's /var/lib/gatehouse, see main/config/state-dir.ts),
// shared by every engine on the machine, or in memory where no such directory
// can be had.
//
// The file holds events (`failure`, `success`, and `locked` after a compaction),
// one JSON object per line, each appended with O_APPEND in one write, so that
// concurrent engines (a greeter, several `gatehouse check` runs) add to it
// without a lock. Once it passes COMPACT_BYTES it is rewritten (a temp file
// renamed over it) with only what still matters; an event another process
// appends during that rename may be lost, which can only make a lock start one
// failure later.
//
// The directory and the file must belong to the user the engine runs as and be
// writable by nobody else (no symbolic links followed): otherwise another user
// could reset the tallies. Names NSS does not know are stored only as a keyed
// hash (lockout-key.ts); the key lives in the same directory.
import { constants, closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';

export interface LockoutRecord {
  /** The account's key (lockout-key.ts): `uid:N` or `name:HASH`. */
  key: string;
  event: 'failure' | 'success' | 'locked';
  /** ms since the epoch. */
  time: number;
  /** `locked` only: when the lock ends. */
  until?: number;
}

export interface LockoutStore {
  /** Where the records live, for the log: a file path, or 'memory'. */
  readonly location: string;
  /** The secret the keys of unknown names are hashed with. */
  readonly hashKey: Buffer;
  read(): LockoutRecord[];
  append(record: LockoutRecord): void;
  /** Replaces every record with `records` (compaction). */
  rewrite(records: LockoutRecord[]): void;
  /** Whether the store has grown enough to be compacted. */
  wantsCompaction(): boolean;
}

export const LOCKOUT_FILE = 'lockout.log';
const KEY_FILE = 'lockout.key';
const COMPACT_BYTES = 64 * 1024;
/** A file bigger than this is not read whole (it is compacted on the next append). */
const MAX_READ_BYTES = 4 * 1024 * 1024;

export class LockoutStoreError extends Error {
  override name = 'LockoutStoreError';
}

/** Records in memory only: one engine's lifetime (unit tests; no usable state directory). */
export class MemoryLockoutStore implements LockoutStore {
  readonly location = 'memory';
  readonly hashKey = randomBytes(32);
  #records: LockoutRecord[] = [];

  read(): LockoutRecord[] {
    return [...this.#records];
  }

  append(record: LockoutRecord): void {
    this.#records.push(record);
  }

  rewrite(records: LockoutRecord[]): void {
    this.#records = [...records];
  }

  wantsCompaction(): boolean {
    return this.#records.length > 1000;
  }
}

/** The state file in `dir`, which is made (0700) when missing and checked either way. */
export class FileLockoutStore implements LockoutStore {
  readonly location: string;
  readonly hashKey: Buffer;
  readonly #uid: number;

  constructor(dir: string) {
    this.#uid = process.getuid?.() ?? 0;
    ensurePrivateDir(dir, this.#uid);
    this.location = join(dir, LOCKOUT_FILE);
    this.hashKey = readOrCreateKey(join(dir, KEY_FILE), this.#uid);
    // Fail now, not at the first failure, if the file is not ours.
    closeSync(this.#open(constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT));
  }

  read(): LockoutRecord[] {
    let fd: number;
    try {
      fd = this.#open(constants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const size = Math.min(fstatSync(fd).size, MAX_READ_BYTES);
      const bytes = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, bytes, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      return parseRecords(bytes.toString('utf8', 0, read));
    } finally {
      closeSync(fd);
    }
  }

  append(record: LockoutRecord): void {
    const fd = this.#open(constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    } finally {
      closeSync(fd);
    }
  }

  rewrite(records: LockoutRecord[]): void {
    const temp = `${this.location}.${process.pid}.tmp`;
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    } catch (error) {
      closeSync(fd);
      unlinkSync(temp);
      throw error;
    }
    closeSync(fd);
    renameSync(temp, this.location);
  }

  wantsCompaction(): boolean {
    try {
      return lstatSync(this.location).size > COMPACT_BYTES;
    } catch {
      return false;
    }
  }

  /** Opens the state file without following a link, and checks it is ours alone. */
  #open(flags: number): number {
    const fd = openSync(this.location, flags | constants.O_NOFOLLOW, 0o600);
    try {
      checkPrivate(fstatSync(fd), this.location, this.#uid, 'file');
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  }
}

function parseRecords(text: string): LockoutRecord[] {
  const records: LockoutRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a torn line (a crash mid-write) is skipped
    }
    if (isRecord(value)) records.push(value);
  }
  return records;
}

function isRecord(value: unknown): value is LockoutRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.key === 'string' &&
    (r.event === 'failure' || r.event === 'success' || r.event === 'locked') &&
    typeof r.time === 'number' &&
    Number.isFinite(r.time) &&
    (r.until === undefined || (typeof r.until === 'number' && Number.isFinite(r.until)))
  );
}

/** Makes `dir` (0700, parents as needed) and checks it: a real directory, ours, writable by nobody else. */
function ensurePrivateDir(dir: string, uid: number): void {
  try {
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new LockoutStoreError(`${dir} cannot be made (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  checkPrivate(lstatSync(dir), dir, uid, 'directory');
}

function checkPrivate(stats: Stats, path: string, uid: number, kind: 'file' | 'directory'): void {
  const isKind = kind === 'file' ? stats.isFile() : stats.isDirectory();
  if (!isKind) throw new LockoutStoreError(`${path} is not a ${kind} (symbolic links are not followed)`);
  if (stats.uid !== uid) throw new LockoutStoreError(`${path} belongs to uid ${stats.uid}, not to uid ${uid}`);
  if ((stats.mode & 0o022) !== 0) throw new LockoutStoreError(`${path} is writable by others (mode ${(stats.mode & 0o777).toString(8)})`);
}

function readOrCreateKey(file: string, uid: number): Buffer {
  try {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const key = randomBytes(32);
    try {
      writeSync(fd, key.toString('hex'));
    } finally {
      closeSync(fd);
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    checkPrivate(stats, file, uid, 'file');
    if ((stats.mode & 0o077) !== 0) throw new LockoutStoreError(`${file} is readable by others`);
    const text = Buffer.alloc(64);
    const n = readSync(fd, text, 0, 64, 0);
    const key = Buffer.from(text.toString('utf8', 0, n), 'hex');
    if (key.length === 32) return key;
  } finally {
    closeSync(fd);
  }
  // Empty or damaged (a crash while it was written): replace it whole.
  const key = randomBytes(32);
  const temp = `${file}.${process.pid}.tmp`;
  const out = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(out, key.toString('hex'));
  } finally {
    closeSync(out);
  }
  renameSync(temp, file);
  return key;
}
