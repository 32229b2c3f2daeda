// The utmp and wtmp records of a login session, written by gatehouse-login-record
// (C: pututxline, updwtmpx; records/login-record.c) as the session starts and
// ends, so that who(1), w(1) and last(1) see it.
import { execFile } from 'node:child_process';
import { findExecutableIn, libexecCandidates } from './libexec';

export interface LoginRecordFiles {
  utmp: string;
  wtmp: string;
}

export interface LoginRecord {
  user: string;
  /** ut_line: the terminal (tty7), or the X display (:1) or the seat where there is none. */
  line: string;
  /** The session's leader. */
  pid: number;
  /** ut_host: the X display, for X11 sessions. */
  host?: string;
}

export const RECORD_HELPER = 'gatehouse-login-record';

/** /usr/libexec/gatehouse from the deb, dist/libexec in a checkout (seen from main/ or dist/main/). */
export function recordHelperCandidates(here: string = __dirname): string[] {
  return libexecCandidates(RECORD_HELPER, here);
}

export function findRecordHelper(candidates: readonly string[] = recordHelperCandidates()): string | undefined {
  return findExecutableIn(candidates);
}

/** ut_id: at most 4 bytes; the end of the line, as login(1) takes it. */
export function recordId(line: string): string {
  return line.slice(-4);
}

/** Writes the session's record ('open') or its end ('close'); rejects with the helper's complaint. */
export function writeLoginRecord(helper: string, files: LoginRecordFiles, action: 'open' | 'close', record: LoginRecord): Promise<void> {
  const args = [
    action,
    '--utmp', files.utmp,
    '--wtmp', files.wtmp,
    '--user', record.user,
    '--line', record.line,
    '--id', recordId(record.line),
    '--pid', String(record.pid),
    ...(record.host === undefined ? [] : ['--host', record.host]),
  ];
  return new Promise((resolve, reject) => {
    execFile(helper, args, { timeout: 10_000, env: {} }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(stderr.trim().split('\n')[0] || `${RECORD_HELPER} failed`));
    });
  });
}
