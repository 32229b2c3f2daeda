// What each benchmark returns to bench/run.ts, which prints them together.
export interface BenchLine {
  /** e.g. 'addon start→authenticate→acct_mgmt→end' */
  name: string;
  /** The measured figure and its unit, e.g. 0.41 'ms/op'. */
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run (ratio = value / baseline.value). */
  baseline?: { name: string; value: number };
  /** The target, e.g. { max: 1.5, of: 'ratio' } or { max: 5, of: 'value' }. */
  target?: { max: number; of: 'ratio' | 'value' };
}

export interface Bench {
  title: string;
  run(): Promise<BenchLine[]>;
}

export function formatLine(line: BenchLine): string {
  const value = `${round(line.value)} ${line.unit}`;
  let text = `  ${line.name.padEnd(58)} ${value.padStart(14)}`;
  if (line.baseline) {
    const ratio = line.value / line.baseline.value;
    text += `   ${round(ratio)}x ${line.baseline.name}`;
  }
  if (line.target) {
    const measured = line.target.of === 'ratio' && line.baseline ? line.value / line.baseline.value : line.value;
    text += `   target ≤ ${line.target.max}${line.target.of === 'ratio' ? 'x' : ` ${line.unit}`}: ${measured <= line.target.max ? 'met' : 'MISSED'}`;
  }
  return text;
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
