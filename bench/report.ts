// What each benchmark returns to bench/run.ts, which prints them together.
export interface BenchLine {
  /** e.g. 'addon start→authenticate→acct_mgmt→end' */
  name: string;
  /** The measured figure and its unit, e.g. 0.41 'ms/op'. NaN: a line of text only (a skip, a reason). */
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run (ratio = value / baseline.value). */
  baseline?: { name: string; value: number };
  /** The target, e.g. { max: 1.5, of: 'ratio' } or { max: 5, of: 'value' }. */
  target?: { max: number; of: 'ratio' | 'value' };
  /** Said after the figures, e.g. why a target does not hold in this run. */
  note?: string | undefined;
}

export interface Bench {
  title: string;
  run(): Promise<BenchLine[]>;
}

/** Whether the line's target is met; undefined when it has none. */
export function targetMet(line: BenchLine): boolean | undefined {
  if (line.target === undefined) return undefined;
  const measured = line.target.of === 'ratio' && line.baseline ? line.value / line.baseline.value : line.value;
  return measured <= line.target.max;
}

export function formatLine(line: BenchLine): string {
  if (Number.isNaN(line.value)) return `  ${line.name}`;
  const value = `${round(line.value)} ${line.unit}`;
  let text = `  ${line.name.padEnd(64)} ${value.padStart(16)}`;
  if (line.baseline) {
    const ratio = line.value / line.baseline.value;
    text += `   ${round(ratio)}x ${line.baseline.name}`;
  }
  if (line.target) {
    text += `   target ≤ ${line.target.max}${line.target.of === 'ratio' ? 'x' : ` ${line.unit}`}: ${targetMet(line) ? 'met' : 'MISSED'}`;
  }
  if (line.note !== undefined) text += ` (${line.note})`;
  return text;
}

function round(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
