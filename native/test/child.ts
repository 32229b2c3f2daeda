// Running a piece of CommonJS in a child `node` process, with the addon's typed
// face loadable from it: for what must not happen inside the test process (exit,
// teardown, garbage collection, a module stuck for good, memory growth).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { REPO_ROOT } from '../../lab/paths';
import { keepOutput } from '../../lab/test-logs';
import { makeTempDir } from '../../lab/tmp';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

let work: string | undefined;
let index: string | undefined;
let files = 0;

/**
 * native/index.ts for a plain `node` child process: transpiled by esbuild, with
 * __dirname pinned to native/ so that it finds the built addon.
 */
function indexForChild(): string {
  work ??= makeTempDir('gatehouse-child-');
  if (index === undefined) {
    const { code } = transformSync(readFileSync(join(REPO_ROOT, 'native', 'index.ts'), 'utf8'), {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      define: { __dirname: JSON.stringify(join(REPO_ROOT, 'native')) },
    });
    index = join(work, 'index.cjs');
    writeFileSync(index, code);
  }
  return index;
}

/** Runs `source` in a child node; `require(process.env.GH_INDEX)` is gatehouse/pam. */
export function runChild(
  source: string,
  options: { env?: Record<string, string>; args?: string[]; timeoutMs?: number; wrapper?: string[] } = {},
): Promise<ChildResult> {
  const indexFile = indexForChild();
  const file = join(work!, `child-${++files}.cjs`);
  writeFileSync(file, source);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // `wrapper` runs node through another command (setpriv, to run as another user).
    const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath];
    const child = spawn(command!, [...prefix, ...(options.args ?? []), file], {
      env: { ...process.env, ...options.env, GH_INDEX: indexFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    keepOutput('native-child', child.pid, child.stdout, child.stderr);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}
