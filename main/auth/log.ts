// The engine's log: one JSON object per line (journald keeps each as one entry).
// Callers pass only what may be logged: never an answer, never prompt text.
import { PamError } from '../../native';
export type LogSink = (line: string) => void;

export const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

export type Log = (entry: Record<string, unknown>) => void;

export function makeLog(sink: LogSink, now: () => number): Log {
  return (entry) => sink(JSON.stringify({ time: new Date(now()).toISOString(), ...entry }));
}

/**
 * An error as a log line or a last word on stderr may show it: its name and
 * code, and its message only when that is known to hold nothing a caller or a
 * module chose — libpam's text (a PamError), or a failed system call's (a
 * Node system error names the call and a path). Any other message may quote
 * an answer.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  const kind = `${error.name}${typeof code === 'string' ? ` ${code}` : ''}`;
  const known = error instanceof PamError || (typeof code === 'string' && typeof syscall === 'string');
  return known ? `${kind}: ${error.message}` : kind;
}
