// The addon's cost, in one run, against what it is measured with:
//   - start → authenticate → acct_mgmt → end on a pam_matrix service with one
//     password prompt: the addon in this (warm) Node process, a small C program
//     doing the same loop in one process (the baseline), and pamtester, a process
//     per round;
//   - the event loop's lag (p99) while 16 transactions sit in a slow module, beside
//     the lag of the same loop idle for as long.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PamTransaction, type Conversation } from '../native/index';
import { module, wrapperModule } from '../lab/paths';
import type { Bench, BenchLine } from './report';

const ROUNDS = 2000;
const REPEATS = 3;
const PASSWORD = 'bench-password';

const answer: Conversation = (messages) =>
  messages.map((m) => (m.style === 'echo-off' || m.style === 'echo-on' ? PASSWORD : null));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function addonRound(confDir: string): Promise<void> {
  const tx = await PamTransaction.start({ service: 'bench', user: 'alice', confDir, conversation: answer });
  await tx.authenticate();
  await tx.acctMgmt();
  await tx.end();
}

/** Mean µs per round over `rounds` rounds. */
async function addonLoop(confDir: string, rounds: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await addonRound(confDir);
  return Number(process.hrtime.bigint() - started) / rounds / 1000;
}

function cLoop(binary: string, confDir: string, rounds: number): number {
  const out = execFileSync(binary, [confDir, 'bench', 'alice', PASSWORD, String(rounds)], { encoding: 'utf8' });
  return Number(out.trim()) / 1000;
}

/** Median µs of one pamtester process doing the same round (pam_wrapper gives it the confdir). */
function pamtester(confDir: string, runs: number): number | undefined {
  const wrapper = spawnSync('sh', ['-c', 'ls /usr/lib/*/libpam_wrapper.so | head -1'], { encoding: 'utf8' }).stdout.trim();
  if (!wrapper) return undefined;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('pamtester', ['bench', 'alice', 'authenticate', 'acct_mgmt'], {
      input: `${PASSWORD}\n`,
      env: { ...process.env, LD_PRELOAD: wrapper, PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: confDir },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`pamtester failed: ${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return median(times);
}

async function lagP99(ms: number, during?: () => Promise<unknown>): Promise<number> {
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  await Promise.all([new Promise((r) => setTimeout(r, ms)), during?.()]);
  lag.disable();
  return lag.percentile(99) / 1e6;
}

async function sixteenSlow(confDir: string): Promise<void> {
  const txs = await Promise.all(
    Array.from({ length: 16 }, () => PamTransaction.start({ service: 'slow', user: 'alice', confDir, conversation: answer })),
  );
  await Promise.all(txs.map((tx) => tx.authenticate()));
  await Promise.all(txs.map((tx) => tx.end()));
}

const bench: Bench = {
  title: 'gatehouse/pam (pam_matrix, one password prompt; ratios against the C loop of the same run)',
  async run(): Promise<BenchLine[]> {
    const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
    try {
      const passdb = join(work, 'passdb');
      writeFileSync(passdb, `alice:${PASSWORD}:bench\n`);
      const matrix = `${wrapperModule('pam_matrix.so')} passdb=${passdb}`;
      writeFileSync(join(work, 'bench'), `auth required ${matrix}\naccount required ${matrix}\n`);
      writeFileSync(join(work, 'slow'), `auth required ${module('pam_exec.so')} /bin/sleep 0.5\n`);
      writeFileSync(join(work, 'other'), `auth required ${module('pam_deny.so')}\n`);
      const loop = join(work, 'pam_loop');
      execFileSync('gcc', ['-O2', '-o', loop, resolve(__dirname, '..', '..', 'bench', 'c', 'pam_loop.c'), '-lpam']);

      // Warm both up, then interleave the runs so drift hits both alike.
      cLoop(loop, work, 500);
      await addonLoop(work, 500);
      const c: number[] = [];
      const addon: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        c.push(cLoop(loop, work, ROUNDS));
        addon.push(await addonLoop(work, ROUNDS));
      }
      const cLoopUs = median(c);
      const tester = pamtester(work, 100);

      const idleLag = await lagP99(700);
      const busyLag = await lagP99(700, () => sixteenSlow(work));

      const lines: BenchLine[] = [
        { name: 'C loop: start→authenticate→acct_mgmt→end', value: cLoopUs, unit: 'µs/round' },
        {
          name: 'addon, warm Node process: the same round',
          value: median(addon),
          unit: 'µs/round',
          baseline: { name: 'C loop', value: cLoopUs },
          target: { max: 1.5, of: 'ratio' },
        },
      ];
      if (tester !== undefined) {
        lines.push({
          name: 'pamtester, a process per round',
          value: tester,
          unit: 'µs/round',
          baseline: { name: 'C loop', value: cLoopUs },
        });
      }
      lines.push(
        { name: 'event-loop lag p99, idle', value: idleLag, unit: 'ms' },
        {
          name: 'event-loop lag p99, 16 transactions in a slow module',
          value: busyLag,
          unit: 'ms',
          baseline: { name: 'idle', value: idleLag },
          target: { max: 5, of: 'value' },
        },
      );
      return lines;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
