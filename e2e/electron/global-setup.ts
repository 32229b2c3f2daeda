// Says once, at the top of the run, whether the Electron specs can run here.
import { electronUnavailable } from './support';

export default function globalSetup(): void {
  const reason = electronUnavailable();
  if (reason !== undefined) console.warn(`SKIP the Electron specs: ${reason}`);
}
