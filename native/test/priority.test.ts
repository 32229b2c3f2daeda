// The scheduling priority of transaction threads (native/src/thread_priority.h):
// SCHED_BATCH at nice 5 for the PAM calls, inherited by what a module forks;
// normal priority for the session calls where the process may raise it again
// (as root), lowered otherwise. Read from /proc while the module runs.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PamTransaction } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { module, SCRIPT_MODULE } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { scripted } from './helpers';

const SCHED_OTHER = 0;
const SCHED_BATCH = 3;
/** kTransactionNice in native/src/thread_priority.h. */
const TRANSACTION_NICE = 5;

interface Scheduling {
  nice: number;
  policy: number;
}

/** nice (field 19) and policy (field 41) of /proc/.../stat; the fields after comm's ')' start at 3. */
function schedulingOf(statFile: string): Scheduling {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
}

/** Waits until `file` has a line, then returns the tid the scripted module's `record` wrote there. */
async function recordedTid(file: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const match = /tid=(\d+)/.exec(readFileSync(file, 'utf8'));
      if (match !== null) return match[1]!;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the module recorded nothing in ${file}`);
}

describe('scheduling priority of transaction threads', () => {
  const dir = makeTempDir('gatehouse-priority-');

  it('runs PAM calls as SCHED_BATCH at nice 5, the session calls at normal priority where it may, the JS thread untouched', async () => {
    const authRecord = join(dir, 'auth');
    const sessionRecord = join(dir, 'session');
    const script = join(dir, 'script');
    writeFileSync(script, `[auth]\nrecord ${authRecord}\nsleep 400\n[open_session]\nrecord ${sessionRecord}\nsleep 400\n`);
    const conf = makeConfDir({
      slow: ['auth', 'session'].map((group) => `${group} required ${SCRIPT_MODULE} script=${script}`).join('\n'),
    });
    const jsThread = schedulingOf('/proc/self/stat');
    const tx = await PamTransaction.start({ service: 'slow', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    try {
      const authenticating = tx.authenticate();
      const authTid = await recordedTid(authRecord);
      const duringAuth = schedulingOf(`/proc/self/task/${authTid}/stat`);
      await authenticating;
      const opening = tx.openSession();
      const sessionTid = await recordedTid(sessionRecord);
      const duringSession = schedulingOf(`/proc/self/task/${sessionTid}/stat`);
      await opening;

      expect(authTid).not.toBe(String(process.pid));
      expect(duringAuth).toEqual({ nice: Math.max(TRANSACTION_NICE, jsThread.nice), policy: SCHED_BATCH });
      expect(sessionTid).toBe(authTid);
      // Raising a nice value back needs CAP_SYS_NICE (or RLIMIT_NICE): root has it.
      const mayRaise = process.getuid?.() === 0;
      expect(duringSession).toEqual(mayRaise ? { nice: jsThread.nice, policy: SCHED_OTHER } : duringAuth);
      expect(schedulingOf('/proc/self/stat')).toEqual(jsThread);
    } finally {
      await tx.end();
    }
  });

  it('hands the lowered priority to the children a module forks (pam_exec)', async () => {
    const out = join(dir, 'child-stat');
    const helper = join(dir, 'helper.sh');
    writeFileSync(helper, `#!/bin/sh\ncat /proc/self/stat > ${out}\n`);
    chmodSync(helper, 0o755);
    const conf = makeConfDir({ exec: `auth required ${module('pam_exec.so')} ${helper}` });
    const tx = await PamTransaction.start({ service: 'exec', user: 'alice', confDir: conf.dir, conversation: scripted().conversation });
    try {
      await tx.authenticate();
    } finally {
      await tx.end();
    }
    const jsThread = schedulingOf('/proc/self/stat');
    expect(schedulingOf(out)).toEqual({ nice: Math.max(TRANSACTION_NICE, jsThread.nice), policy: SCHED_BATCH });
  });
});
