// The event loop while PAM works: its lag (monitorEventLoopDelay, 1 ms resolution)
// while 16 transactions run start → authenticate → end side by side in a slow
// module, beside the lag of the same loop idle for as long. Two slow modules:
//   - the scripted test module's `sleep 1000` (native/fixtures): a module that
//     waits without forking;
//   - pam_exec running /bin/sleep 1: a module that forks a child per call, the
//     pattern of every helper-running module (pam_exec, pam_mount, unix_chkpwd).
// Each case runs RUNS times; the p99 is the median of the runs', the max the
// largest seen in any run. The pam_exec case runs once more in a child process
// whose hard RLIMIT_NOFILE is 1024 (prlimit): what docs/architecture.md suggests
// for pam_exec-heavy stacks.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PamTransaction } from '../native/index';
import { module as securityModule } from '../lab/paths';
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

/** The pam_exec case in a child process under `prlimit --nofile=1024:1024`; undefined without prlimit. */
function execCaseWithLowLimit(work: string): Lag | undefined {
  const child = spawnSync('prlimit', ['--nofile=1024:1024', process.execPath, __filename, '--child', work, 'exec-sleep'], { encoding: 'utf8' });
  if (child.error !== undefined || child.status !== 0) return undefined;
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Lag;
}

// As a child (see execCaseWithLowLimit): measure one case, print it as JSON.
if (require.main === module && process.argv[2] === '--child') {
  const [work, service] = process.argv.slice(3) as [string, string];
  void repeat(RUNS, () => measureLag(() => sixteenSlow(work, service))).then((lag) => console.log(JSON.stringify(lag)));
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
      writeFileSync(join(work, 'exec-sleep'), `auth required ${securityModule('pam_exec.so')} /bin/sleep 1\n`);
      writeFileSync(join(work, 'other'), `auth required ${securityModule('pam_deny.so')}\n`);

      const loadBefore = loadavg()[0]!;
      const idle = await repeat(RUNS, () => measureLag(() => new Promise((r) => setTimeout(r, IDLE_MS))));
      const scripted = await repeat(RUNS, () => measureLag(() => sixteenSlow(work, 'scripted-sleep')));
      const exec = await repeat(RUNS, () => measureLag(() => sixteenSlow(work, 'exec-sleep')));
      const execLowLimit = execCaseWithLowLimit(work);
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
        ...(execLowLimit === undefined
          ? [{ name: 'pam_exec with a hard RLIMIT_NOFILE of 1024: not measured (no prlimit)', value: NaN, unit: '' }]
          : [
              { name: 'pam_exec, hard RLIMIT_NOFILE 1024 (prlimit): p99', value: execLowLimit.p99, unit: 'ms', baseline: p99Base },
              { name: 'pam_exec, hard RLIMIT_NOFILE 1024 (prlimit): max', value: execLowLimit.max, unit: 'ms', baseline: maxBase },
            ]),
      ];
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
