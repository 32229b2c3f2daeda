// SIGINT, SIGTERM and SIGHUP end a check the orderly way (the terminal restored,
// the transaction aborted and ended) instead of killing the process mid-call.
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type TerminationSignal = (typeof SIGNALS)[number];

/** Calls `handler` on each of those signals until the returned function is called. */
export function onTerminationSignals(handler: (signal: TerminationSignal) => void): () => void {
  const listeners = SIGNALS.map((signal) => {
    const listener = () => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

/** The shell's exit status for a process ended by `signal`: 128 + its number. */
export function signalExitStatus(signal: TerminationSignal): number {
  return 128 + constants.signals[signal];
}
