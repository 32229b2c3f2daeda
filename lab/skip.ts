// Suites that cannot run here say why, in the test output, instead of passing silently.
import { describe } from 'vitest';
import { etcOverlayStatus } from './etc-overlay';

type Body = () => void;

/** describe() that runs only inside the root /etc overlay; otherwise skipped with the reason printed. */
export function describeInEtcOverlay(name: string, body: Body): void {
  const status = etcOverlayStatus();
  if (status.ok) {
    describe(name, body);
    return;
  }
  console.warn(`SKIP ${name}: ${status.reason}`);
  describe.skip(`${name} [skipped: ${status.reason}]`, body);
}
