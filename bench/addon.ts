// The addon's cost per transaction, in one run, against what it is measured with:
// start → authenticate (one password prompt) → acct_mgmt → end on a pam_matrix
// service, each implementation in a process of its own (bench/round-loop.ts,
// bench/c/pam_loop.c), runs interleaved so that drift hits all alike:
//   - wall time and CPU time per round (the C loop's getrusage, process.cpuUsage
//     for Node: user + system of every thread);
//   - instructions per round under callgrind, as the difference between two run
//     lengths after the same warm-up, so start-up and JIT compilation drop out:
//     the figure that holds on a busy machine;
//   - the peers (bench/peers.ts), which call pam_start and so run under
//     pam_wrapper, against the C loop under pam_wrapper;
//   - pamtester, a process per round.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wrapperModule } from '../lab/paths';
import { haveValgrind, instructionsPerRound, median } from './measure';
import { preparePeers } from './peers';
import type { Bench, BenchLine } from './report';

const ROUNDS = 1000;
/** V8 keeps optimising the round's functions for about 3000 rounds (--trace-opt). */
const WARMUP = 4000;
const REPEATS = 3;
const CALLGRIND_ROUNDS = { short: 200, long: 700 };
/**
 * Node under callgrind: a fixed hash seed and random seed (otherwise start-up
 * differs from run to run by millions of instructions) and no concurrent
 * compiler or GC threads (their work would land in either run at random).
 */
const CALLGRIND_NODE_FLAGS = ['--hash-seed=1', '--random-seed=1', '--single-threaded'];
const SERVICE = 'bench';
const USER = 'alice';
const PASSWORD = 'bench-password';
const ROUND_LOOP = join(__dirname, 'round-loop.js');

interface PerRound {
  wallUs: number;
  cpuUs: number;
}

function parsePerRound(out: string): PerRound {
  const [wall, cpu] = out.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`unexpected loop output: ${out.slice(0, 200)}`);
  return { wallUs: wall! / 1000, cpuUs: cpu! / 1000 };
}

function pamWrapperEnv(serviceDir: string): NodeJS.ProcessEnv | undefined {
  const wrapper = spawnSync('sh', ['-c', 'ls /usr/lib/*/libpam_wrapper.so 2>/dev/null | head -1'], { encoding: 'utf8' }).stdout.trim();
  if (!wrapper) return undefined;
  return { ...process.env, LD_PRELOAD: wrapper, PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: serviceDir };
}

/** Median µs of one pamtester process doing the same round (pam_wrapper gives it the service dir). */
function pamtester(env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('pamtester', [SERVICE, USER, 'authenticate', 'acct_mgmt'], { input: `${PASSWORD}\n`, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pamtester failed: ${result.stderr}`);
    times.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return median(times);
}

const bench: Bench = {
  title: 'gatehouse/pam per transaction (pam_matrix: start → authenticate, one prompt → acct_mgmt → end; ratios against the C loop of the same run)',
  async run(): Promise<BenchLine[]> {
    const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
    try {
      const passdb = join(work, 'passdb');
      writeFileSync(passdb, `${USER}:${PASSWORD}:${SERVICE}\n`);
      const matrix = `${wrapperModule('pam_matrix.so')} passdb=${passdb}`;
      writeFileSync(join(work, SERVICE), `auth required ${matrix}\naccount required ${matrix}\n`);
      writeFileSync(join(work, 'other'), `auth required pam_deny.so\naccount required pam_deny.so\n`);
      const loop = join(work, 'pam_loop');
      execFileSync('gcc', ['-O2', '-o', loop, resolve(__dirname, '..', '..', 'bench', 'c', 'pam_loop.c'), '-lpam']);

      const cArgs = (confDir: string, rounds: number) => [confDir, SERVICE, USER, PASSWORD, String(rounds)];
      const nodeArgs = (impl: string, confDir: string, rounds: number, warmup: number) => [
        ROUND_LOOP, impl, confDir, SERVICE, USER, PASSWORD, String(rounds), String(warmup),
      ];
      const wrapped = pamWrapperEnv(work);
      const peers = wrapped === undefined ? undefined : preparePeers();

      // Each measurement is a fresh process: the C loop warms up inside its own
      // run (its first rounds are a small share of ROUNDS), Node's after WARMUP.
      const cLoop = () => parsePerRound(execFileSync(loop, cArgs(work, ROUNDS), { encoding: 'utf8' }));
      const nodeLoop = (impl: string, env?: NodeJS.ProcessEnv) =>
        parsePerRound(execFileSync(process.execPath, nodeArgs(impl, work, ROUNDS, WARMUP), { encoding: 'utf8', env }));
      const wrappedC = () => parsePerRound(execFileSync(loop, cArgs('-', ROUNDS), { encoding: 'utf8', env: wrapped }));

      const samples: Record<string, PerRound[]> = {};
      const take = (name: string, measure: () => PerRound) => (samples[name] ??= []).push(measure());
      const loadBefore = loadavg()[0]!;
      for (let i = 0; i < REPEATS; i++) {
        take('c', cLoop);
        take('addon', () => nodeLoop('addon'));
        if (wrapped !== undefined && peers !== undefined && peers.ready.length > 0) {
          take('c-wrapped', wrappedC);
          for (const peer of peers.ready) take(peer, () => nodeLoop(peer, wrapped));
        }
      }
      const load = (loadBefore + loadavg()[0]!) / 2;
      const wall = (name: string) => median(samples[name]!.map((s) => s.wallUs));
      const cpu = (name: string) => median(samples[name]!.map((s) => s.cpuUs));

      const lines: BenchLine[] = [
        { name: 'machine load (1-minute average) during the timed runs', value: load, unit: `on ${require('node:os').availableParallelism()} cores` },
        { name: 'C loop: wall time', value: wall('c'), unit: 'µs/round' },
        { name: 'C loop: CPU time (getrusage)', value: cpu('c'), unit: 'µs/round' },
        {
          name: 'addon: CPU time (process.cpuUsage)',
          value: cpu('addon'),
          unit: 'µs/round',
          baseline: { name: 'C loop CPU', value: cpu('c') },
          target: { max: 1.2, of: 'ratio' },
        },
        {
          name: 'addon: wall time',
          value: wall('addon'),
          unit: 'µs/round',
          baseline: { name: 'C loop wall', value: wall('c') },
          target: { max: 1.2, of: 'ratio' },
          note: load > 0.5 ? 'wall ratios hold only on an idle machine' : undefined,
        },
      ];

      if (haveValgrind()) {
        const cIr = instructionsPerRound((n) => ({ command: loop, args: cArgs(work, n) }), CALLGRIND_ROUNDS.short, CALLGRIND_ROUNDS.long);
        const addonIr = instructionsPerRound(
          (n) => ({ command: process.execPath, args: [...CALLGRIND_NODE_FLAGS, ...nodeArgs('addon', work, n, WARMUP)] }),
          CALLGRIND_ROUNDS.short,
          CALLGRIND_ROUNDS.long,
        );
        lines.push(
          { name: 'C loop: instructions (callgrind)', value: cIr / 1000, unit: 'k instr/round' },
          {
            name: 'addon: instructions (callgrind)',
            value: addonIr / 1000,
            unit: 'k instr/round',
            baseline: { name: 'C loop instructions', value: cIr / 1000 },
            target: { max: 2, of: 'ratio' },
            note:
              addonIr / cIr > 2
                ? "part of the difference is libpam's own dlopen/dlclose of the modules, which cost more in a process " +
                  "as large as Node's: symbol lookups through its global scope, __cxa_finalize over its exit handlers " +
                  '(callgrind_annotate on the two runs shows both)'
                : undefined,
          },
        );
      } else {
        lines.push({ name: 'instructions (callgrind): skipped, valgrind is not installed', value: NaN, unit: '' });
      }

      if (wrapped === undefined) {
        lines.push({ name: 'peers and pamtester: skipped, libpam-wrapper is not installed', value: NaN, unit: '' });
        return lines;
      }
      if (samples['c-wrapped'] !== undefined) {
        const base = { name: 'C loop CPU under pam_wrapper', value: cpu('c-wrapped') };
        lines.push({ name: 'C loop under pam_wrapper (pam_start): CPU time', value: base.value, unit: 'µs/round' });
        for (const peer of peers!.ready) {
          const what = peer === 'authenticate-pam' ? 'no acct_mgmt, no JS conversation' : 'no JS conversation';
          lines.push({ name: `${peer} (${what}): CPU time`, value: cpu(peer), unit: 'µs/round', baseline: base });
          lines.push({
            name: `${peer}: wall time`,
            value: wall(peer),
            unit: 'µs/round',
            baseline: { name: 'C loop wall under pam_wrapper', value: wall('c-wrapped') },
          });
        }
      }
      for (const { peer, reason } of peers?.missing ?? []) {
        lines.push({ name: `${peer}: not measured (${reason})`, value: NaN, unit: '' });
      }
      lines.push({
        name: 'pamtester, a process per round: wall time',
        value: pamtester(wrapped, 100),
        unit: 'µs/round',
        baseline: { name: 'C loop wall', value: wall('c') },
      });
      return lines;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

export default bench;
