import { join } from 'node:path';
import { REPO_ROOT } from '../../lab/paths';

/** Screenshots of every scenario, kept after the run (CI keeps artifacts/). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'artifacts', 'screenshots');
