// The prompt round trip: a module asks, the client receives the prompt, answers at
// once, and the module has the answer (and asks again). Measured
//   - through the bare addon: a PamTransaction whose conversation function answers;
//   - through the engine and the WebSocket host: a real `gatehouse serve` process
//     and a WebSocket client in this process, as a page would be;
// both in the same run, on the scripted test module (native/fixtures), which
// asks ROUNDS times in one pam_authenticate. One round is the time between two
// consecutive prompts reaching the client; the first WARMUP rounds are dropped.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { PamTransaction } from '../native';
import { enterServe } from '../main/hosts/browser/entry-client';
import { PROTOCOL_VERSION, type Event } from '../main/protocol';
import { percentile } from './measure';
import type { Bench, BenchLine } from './report';

// The scripted module runs at most 4096 commands per section (two per round).
const ROUNDS = 2000;
const WARMUP = 200;
const ANSWER = 'bench-answer';
const REPO_ROOT = join(__dirname, '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'main', 'cli.js');
const MODULE_SOURCE = join(REPO_ROOT, 'native', 'fixtures', 'pam_gatehouse_script.c');

interface Fixture {
  dir: string;
  service: string;
}

/** A confdir whose service runs the scripted module, asking ROUNDS echo-off prompts in one call. */
function makeFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const modulePath = join(dir, 'pam_gatehouse_script.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', modulePath, MODULE_SOURCE, '-lpam', '-lpthread']);
  const script = join(dir, 'script');
  writeFileSync(script, `[auth]\n${'msg echo-off "Password: "\nsend\n'.repeat(ROUNDS)}`);
  const service = 'bench';
  const stack = ['auth', 'account', 'password', 'session'].map((group) => `${group} required ${modulePath} script=${script}`);
  writeFileSync(join(dir, service), stack.join('\n') + '\n');
  writeFileSync(join(dir, 'other'), 'auth required pam_deny.so\n');
  writeFileSync(join(dir, 'config.json'), '{}\n');
  return { dir, service };
}

/** Milliseconds between consecutive calls of `tick`, warm-up dropped. */
class Intervals {
  readonly #times: bigint[] = [];
  tick(): void {
    this.#times.push(process.hrtime.bigint());
  }
  samples(): number[] {
    const ms: number[] = [];
    for (let i = 1; i < this.#times.length; i++) ms.push(Number(this.#times[i]! - this.#times[i - 1]!) / 1e6);
    return ms.slice(WARMUP);
  }
}

async function addonRoundTrips(fixture: Fixture): Promise<number[]> {
  const intervals = new Intervals();
  const tx = await PamTransaction.start({
    service: fixture.service,
    user: 'bench',
    confDir: fixture.dir,
    conversation: (messages) => {
      intervals.tick();
      return messages.map((m) => (m.style === 'echo-off' || m.style === 'echo-on' ? ANSWER : null));
    },
  });
  try {
    await tx.authenticate();
  } finally {
    await tx.end();
  }
  return intervals.samples();
}

async function engineRoundTrips(fixture: Fixture): Promise<number[]> {
  const serve = spawn(
    process.execPath,
    [CLI, 'serve', '--mode', 'unlock', '--config', join(fixture.dir, 'config.json'), '--confdir', fixture.dir,
      '--service', fixture.service, '--user', 'bench', '--port', '0', '--prompt-timeout', '0'],
    // The lockout's tallies in the fixture, not in the machine's state directory.
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GATEHOUSE_STATE_DIR: join(fixture.dir, 'state') } },
  );
  const exited = new Promise<void>((resolve) => serve.once('exit', () => resolve()));
  try {
    const lines = createInterface({ input: serve.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done === true) throw new Error('gatehouse serve exited before listening');
    const url = new URL((JSON.parse(first.value) as { url: string }).url);
    const session = await enterServe(url.href);
    const socket = new WebSocket(`ws://127.0.0.1:${url.port}/ws`, { origin: session.origin, headers: { Cookie: session.cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const intervals = new Intervals();
    const send = (body: Record<string, unknown>) => socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...body }));
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const e = JSON.parse(String(data)) as Event;
        if (e.type === 'prompt') {
          intervals.tick();
          send({ type: 'answer', id: e.id, value: ANSWER });
        } else if (e.type === 'outcome') {
          if (e.ok) resolve();
          else reject(new Error(`the flow failed: ${e.code ?? ''} ${e.reason}`));
        } else if (e.type === 'refused') {
          reject(new Error(`refused: ${e.message}`));
        }
      });
      send({ type: 'begin' });
    });
    socket.close();
    return intervals.samples();
  } finally {
    serve.kill('SIGTERM');
    await exited;
  }
}


const bench: Bench = {
  title: `Prompt round trip (module asks → client answers → module has it), ${ROUNDS - WARMUP - 1} rounds`,
  async run(): Promise<BenchLine[]> {
    const fixture = makeFixture();
    try {
      const addon = await addonRoundTrips(fixture);
      const engine = await engineRoundTrips(fixture);
      const lines: BenchLine[] = [];
      for (const p of [50, 95]) {
        const baseline = { name: `addon p${p}`, value: percentile(addon, p) };
        lines.push({ name: `addon alone, p${p}`, value: baseline.value, unit: 'ms' });
        lines.push({
          name: `engine + gatehouse serve + WebSocket client, p${p}`,
          value: percentile(engine, p),
          unit: 'ms',
          baseline,
          ...(p === 95 ? { target: { max: 1, of: 'value' as const } } : {}),
        });
      }
      return lines;
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  },
};

export default bench;
