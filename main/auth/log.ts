// The engine's log: one JSON object per line (journald keeps each as one entry).
// Callers pass only what may be logged: never an answer, never prompt text.
export type LogSink = (line: string) => void;

export const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

export type Log = (entry: Record<string, unknown>) => void;

export function makeLog(sink: LogSink, now: () => number): Log {
  return (entry) => sink(JSON.stringify({ time: new Date(now()).toISOString(), ...entry }));
}
