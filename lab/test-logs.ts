// Every log line of every suite, kept for one scan at the end of `npm test`
// (scripts/scan-test-logs.mjs): what the processes the suites start print (the
// tests read it in memory; a copy goes here), and the secrets the suites use
// (the test users' and fixtures' passwords, and every answer typed at a prompt
// that looks like one). The scan fails the run if any secret is in any line.
//
// Off unless GATEHOUSE_TEST_LOGS names a directory (scripts/test.sh makes one).
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';

export const TEST_LOGS_ENV = 'GATEHOUSE_TEST_LOGS';
const SECRETS_FILE = 'secrets.jsonl';

function logsDir(): string | undefined {
  const dir = process.env[TEST_LOGS_ENV];
  return dir === undefined || dir === '' ? undefined : dir;
}

let files = 0;

/** Copies everything the streams emit (a child's stdout and stderr) into a log file of its own. */
export function keepOutput(name: string, pid: number | undefined, ...streams: (Readable | null | undefined)[]): void {
  const dir = logsDir();
  if (dir === undefined) return;
  const file = join(dir, `${basename(name)}-${process.pid}-${pid ?? 'nopid'}-${++files}.log`);
  for (const stream of streams) {
    stream?.on('data', (chunk: Buffer | string) => {
      try {
        appendFileSync(file, chunk);
      } catch {
        // the run's log directory is gone (the run is ending): nothing to keep
      }
    });
  }
}

/** Log lines a test collected in memory (an in-process engine's log), copied for the scan. */
export function keepLines(name: string, lines: string[]): void {
  const dir = logsDir();
  if (dir === undefined || lines.length === 0) return;
  try {
    appendFileSync(join(dir, `${basename(name)}-${process.pid}-lines.log`), `${lines.join('\n')}\n`);
  } catch {
    // as above
  }
}

/**
 * A password (or other secret) a suite uses: no log line may contain it. A plain
 * lower-case word ('secret', a fixture's stand-in) is not looked for: log text
 * says such words on its own.
 */
export function recordSecret(value: string): void {
  const dir = logsDir();
  if (dir === undefined || value.length < 6 || !PASSWORD_LIKE.test(value)) return;
  try {
    appendFileSync(join(dir, SECRETS_FILE), `${JSON.stringify(value)}\n`);
  } catch {
    // as above
  }
}

/**
 * An answer a test typed at a prompt whose style the harness does not know: kept
 * as a secret when it looks like a password (8 characters or more, with a
 * capital, a digit or a sign other than - and _). User names and other echo-on
 * answers in the suites are plain lower-case words, which logs do show.
 */
export function recordAnswer(value: string | Uint8Array): void {
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  if (text.length >= 8) recordSecret(text);
}

/** A capital, a digit, or a sign other than - and _. */
const PASSWORD_LIKE = /[A-Z0-9]|[^A-Za-z0-9_-]/;
