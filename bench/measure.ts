// Measuring helpers shared by the benches: statistics, and instruction counts under
// callgrind.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function haveValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Instructions (callgrind's Ir, every thread, user space) the command executes. */
export function callgrindInstructions(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, command, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
    if (summary === null) throw new Error(`callgrind wrote no summary for ${command}`);
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Instructions per round of a loop, as the difference between a run of `long`
 * rounds and one of `short` rounds divided by the difference in rounds: start-up,
 * loading and exit are the same in both and drop out.
 */
export function instructionsPerRound(
  run: (rounds: number) => { command: string; args: string[]; env?: NodeJS.ProcessEnv },
  short: number,
  long: number,
): number {
  const count = (rounds: number) => {
    const { command, args, env } = run(rounds);
    return callgrindInstructions(command, args, env);
  };
  return (count(long) - count(short)) / (long - short);
}
