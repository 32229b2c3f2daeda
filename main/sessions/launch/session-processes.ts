// Ending every process of a session when it logs out, without cgroups (where
// pam_systemd runs, logind's session scope does it too): the processes of the
// user in the session the launcher started (setsid: its session id is the
// leader's pid), and those that left it (a daemon that called setsid) but still
// carry the session's marker variable in their environment.
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable each session's processes inherit; its value is the session's own. */
export const SESSION_MARKER = 'GATEHOUSE_SESSION';

export interface SessionProcesses {
  uid: number;
  /** The session id (the leader's pid, after setsid). */
  sid: number;
  /** The marker's value. */
  marker: string;
}

const STOP_GRACE_MS = 3_000;

/** Field 6 of /proc/PID/stat (after the command name in parentheses). */
function sessionIdOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[3]);
  } catch {
    return undefined;
  }
}

function realUidOf(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'latin1').split('\n').find((l) => l.startsWith('Uid:'));
    return line === undefined ? undefined : Number(line.split(/\s+/)[1]);
  } catch {
    return undefined;
  }
}

function carriesMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${SESSION_MARKER}=${marker}`);
  } catch {
    return false;
  }
}

/** The pids of the session's processes still running (zombies aside). */
export function findSessionProcesses(session: SessionProcesses): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || realUidOf(pid) !== session.uid) continue;
    if (sessionIdOf(pid) === session.sid || carriesMarker(pid, session.marker)) {
      if (!isZombie(pid)) found.push(pid);
    }
  }
  return found;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

/** SIGTERM to every process of the session, SIGKILL to what is left after a grace period; resolves with what was found. */
export async function endSessionProcesses(session: SessionProcesses, graceMs = STOP_GRACE_MS): Promise<number[]> {
  const first = findSessionProcesses(session);
  if (first.length === 0) return first;
  signalAll(first, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let left = findSessionProcesses(session);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = findSessionProcesses(session);
  }
  // SIGKILL until none is left: a process may fork while it is being killed.
  for (let round = 0; left.length > 0 && round < 20; round += 1) {
    signalAll(left, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    left = findSessionProcesses(session);
  }
  return first;
}
