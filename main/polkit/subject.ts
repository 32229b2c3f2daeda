// The subject an authentication agent registers for: a logind session (what a
// desktop's agent serves) or one process (pkttyagent --process; scripts, tests, a
// terminal). polkitd asks the agent registered for the subject of each request.
//
// A process is named by its pid and its start time (field 22 of /proc/PID/stat,
// in clock ticks since boot), so that a recycled pid is not mistaken for it; its
// uid is the real uid from /proc/PID/status. On the bus a subject is (sa{sv}):
//   ("unix-process", {pid: u, start-time: t, uid: i})   ("unix-session", {session-id: s})
import { readFileSync } from 'node:fs';
import { Variant } from 'dbus-next';

export type AgentSubject =
  | { kind: 'unix-process'; pid: number; startTime: bigint; uid: number }
  | { kind: 'unix-session'; sessionId: string };

export class SubjectError extends Error {
  override name = 'SubjectError';
}

/** The process `pid` as a subject, read from /proc now. */
export function processSubject(pid: number, procRoot = '/proc'): AgentSubject {
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 0xffffffff) throw new SubjectError('a process id is a positive integer');
  let stat: string;
  let status: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    status = readFileSync(`${procRoot}/${pid}/status`, 'utf8');
  } catch {
    throw new SubjectError(`there is no process ${pid}`);
  }
  return { kind: 'unix-process', pid, startTime: startTimeOf(stat), uid: realUidOf(status) };
}

/** A logind session as a subject. */
export function sessionSubject(sessionId: string): AgentSubject {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(sessionId)) throw new SubjectError('a logind session id is a short word of letters and digits');
  return { kind: 'unix-session', sessionId };
}

/** The field after the command name's closing parenthesis (which may itself hold spaces and parentheses). */
export function startTimeOf(stat: string): bigint {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the name start at field 3 (state); starttime is field 22.
  const value = fields[22 - 3];
  if (value === undefined || !/^\d+$/.test(value)) throw new SubjectError('cannot read the process start time');
  return BigInt(value);
}

function realUidOf(status: string): number {
  const match = /^Uid:\s+(\d+)/m.exec(status);
  if (match === null) throw new SubjectError('cannot read the process owner');
  return Number(match[1]);
}

/** The subject as polkit's D-Bus API takes it: (sa{sv}). */
export function subjectValue(subject: AgentSubject): [string, Record<string, Variant>] {
  switch (subject.kind) {
    case 'unix-process':
      return [
        'unix-process',
        {
          pid: new Variant('u', subject.pid),
          'start-time': new Variant('t', subject.startTime),
          uid: new Variant('i', subject.uid),
        },
      ];
    case 'unix-session':
      return ['unix-session', { 'session-id': new Variant('s', subject.sessionId) }];
  }
}

/** As polkit writes subjects: unix-process:PID:START:UID, unix-session:ID. */
export function describeSubject(subject: AgentSubject): string {
  return subject.kind === 'unix-process'
    ? `unix-process:${subject.pid}:${subject.startTime}:${subject.uid}`
    : `unix-session:${subject.sessionId}`;
}
