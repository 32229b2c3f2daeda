// Waiting out a fail delay or lockout before the check ends. A module's delay is
// what libpam would have slept for; honouring it in every mode means a loop of
// `gatehouse check` runs cannot guess passwords faster than the stack allows.

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
