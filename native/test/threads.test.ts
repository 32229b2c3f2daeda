// Where PAM runs: each transaction on its own native thread, never on the JS thread
// and never on libuv's thread pool; slow modules in many transactions at once do
// not queue behind each other, and the event loop stays responsive meanwhile.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PamTransaction } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { matrixService, writePassdb } from '../../lab/matrix';
import { SCRIPT_MODULE } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { runChild } from './child';
import { scripted } from './helpers';

describe('threads', () => {
  it('completes transactions while every libuv pool thread is blocked', async () => {
    const passdb = writePassdb([{ user: 'alice', password: 'secret', service: 'matrix' }]);
    const conf = makeConfDir({ matrix: matrixService(passdb) });
    const fifo = join(makeTempDir('gatehouse-fifo-'), 'fifo');
    // One pool thread, kept busy by an open() on a FIFO nobody writes to.
    const child = await runChild(
      `const { execFileSync } = require('node:child_process');
      const fs = require('node:fs');
      const { PamTransaction } = require(process.env.GH_INDEX);
      execFileSync('mkfifo', [process.env.FIFO]);
      let poolFree = false;
      fs.readFile(process.env.FIFO, () => { poolFree = true; });
      (async () => {
        await new Promise((r) => setTimeout(r, 100));
        const results = [];
        for (let i = 0; i < 3; i++) {
          const tx = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir: process.env.CONF,
            conversation: (m) => m.map((x) => x.style === 'echo-off' ? 'secret' : null) });
          await tx.authenticate();
          await tx.acctMgmt();
          await tx.end();
          results.push(poolFree ? 'pool was free' : 'ok while the pool was blocked');
        }
        console.log(JSON.stringify(results));
        fs.writeFileSync(process.env.FIFO, 'x'); // release the pool thread
      })();`,
      { env: { UV_THREADPOOL_SIZE: '1', FIFO: fifo, CONF: conf.dir } },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(Array(3).fill('ok while the pool was blocked'));
    expect(child.code).toBe(0);
  });

  it('runs 16 slow transactions side by side with the event loop responsive', async () => {
    const dir = makeTempDir('gatehouse-slow-');
    const record = join(dir, 'record');
    const script = join(dir, 'script');
    writeFileSync(script, `[auth]\nrecord ${record}\nsleep 600\n`);
    const conf = makeConfDir({ slow: `auth required ${SCRIPT_MODULE} script=${script}` });
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const started = performance.now();
    const txs = await Promise.all(
      Array.from({ length: 16 }, () =>
        PamTransaction.start({ service: 'slow', user: 'alice', confDir: conf.dir, conversation: scripted().conversation }),
      ),
    );
    await Promise.all(txs.map((tx) => tx.authenticate()));
    const elapsed = performance.now() - started;
    lag.disable();
    await Promise.all(txs.map((tx) => tx.end()));
    // One after another: 9.6 s; four at a time (a libuv-sized pool): 2.4 s.
    expect(elapsed).toBeLessThan(1800);
    const { readFileSync } = await import('node:fs');
    const tids = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((line) => /tid=(\d+)/.exec(line)![1]);
    expect(new Set(tids).size).toBe(16);
    expect(tids).not.toContain(String(process.pid)); // the JS thread's id is the pid
    // A loose bound here (CI machines are noisy); `npm run bench` reports the p99 itself.
    expect(lag.percentile(99) / 1e6).toBeLessThan(100);
  });
});
