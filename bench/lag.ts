// The event loop while PAM works: its lag (monitorEventLoopDelay, 1 ms resolution)
// while 16 transactions run start → authenticate → end side by side in a slow
// module, beside the lag of the same loop idle for as long. Two slow modules:
//   - the scripted test module's `sleep 1000` (native/fixtures): a module that
//     waits without forking;
//   - pam_exec running /bin/sleep 1: a module that forks a child per call, the
//     pattern of every helper-running module (pam_exec, pam_mount, unix_chkpwd).
// Each case runs RUNS times; the p99 is the median of the runs', the max the
// largest seen in any run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PamTransaction } from '../native/index';
import { module } from '../lab/paths';
import { median } from './measure';
import { getrlimit } from './rlimit';
import type { Bench, BenchLine } from './report';

const PARALLEL = 16;
const RUNS = 3;
const IDLE_MS = 1200;
const MODULE_SOURCE = join(__dirname, '..', '..', 'native', 'fixtures', 'pam_gatehouse_script.c');

interface Lag {
  p99: number;
  max: number;
}

async function measureLag(during: () => Promise<unknown>): Promise<Lag> {
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  await during();
  lag.disable();
  return { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
}

async function sixteenSlow(confDir: string, service: string): Promise<void> {
  const conversation = () => [];
  const txs = await Promise.all(
    Array.from({ length: PARALLEL }, () => PamTransaction.start({ service, user: 'alice', confDir, conversation })),
  );
  await Promise.all(txs.map((tx) => tx.authenticate()));
  await Promise.all(txs.map((tx) => tx.end()));
}

async function repeat(runs: number, measure: () => Promise<Lag>): Promise<Lag> {
  const seen: Lag[] = [];
  for (let i = 0; i < runs; i++) seen.push(await measure());
  return { p99: median(seen.map((l) => l.p99)), max: Math.max(...seen.map((l) => l.max)) };
}

const bench: Bench = {
  title: `Event-loop lag with ${PARALLEL} transactions side by side in a slow module (${RUNS} runs each)`,
  async run(): Promise<BenchLine[]> {
    const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-lag-'));
    try {
      const scriptModule = join(work, 'pam_gatehouse_script.so');
      execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', scriptModule, MODULE_SOURCE, '-lpam', '-lpthread']);
      const script = join(work, 'sleep-script');
      writeFileSync(script, '[auth]\nsleep 1000\n');
      writeFileSync(join(work, 'scripted-sleep'), `auth required ${scriptModule} script=${script}\n`);
      writeFileSync(join(work, 'exec-sleep'), `auth required ${module('pam_exec.so')} /bin/sleep 1\n`);
      writeFileSync(join(work, 'other'), `auth required ${module('pam_deny.so')}\n`);

      const loadBefore = loadavg()[0]!;
      const idle = await repeat(RUNS, () => measureLag(() => new Promise((r) => setTimeout(r, IDLE_MS))));
      const scripted = await repeat(RUNS, () => measureLag(() => sixteenSlow(work, 'scripted-sleep')));
      const exec = await repeat(RUNS, () => measureLag(() => sixteenSlow(work, 'exec-sleep')));
      const load = (loadBefore + loadavg()[0]!) / 2;
      const files = getrlimit();

      const p99Base = { name: 'idle p99', value: idle.p99 };
      const maxBase = { name: 'idle max', value: idle.max };
      return [
        { name: 'machine load (1-minute average) during the runs', value: load, unit: `on ${availableParallelism()} cores` },
        {
          name: `RLIMIT_NOFILE of this process (soft / hard): what each forked child may close`,
          value: files.soft,
          unit: `/ ${files.hard}`,
        },
        { name: 'idle: p99', value: idle.p99, unit: 'ms' },
        { name: 'idle: max', value: idle.max, unit: 'ms' },
        { name: 'scripted module, sleep 1000 (no fork): p99', value: scripted.p99, unit: 'ms', baseline: p99Base, target: { max: 5, of: 'value' } },
        { name: 'scripted module, sleep 1000 (no fork): max', value: scripted.max, unit: 'ms', baseline: maxBase, target: { max: 50, of: 'value' } },
        { name: 'pam_exec /bin/sleep 1 (a child per call): p99', value: exec.p99, unit: 'ms', baseline: p99Base, target: { max: 5, of: 'value' } },
        { name: 'pam_exec /bin/sleep 1 (a child per call): max', value: exec.max, unit: 'ms', baseline: maxBase, target: { max: 50, of: 'value' } },
      ];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
