// Thousands of transactions — successes, refused answers, aborts — and the
// process's native memory stays flat. (The addon's copies are also checked for
// errors and leaks under valgrind by scripts/memcheck.sh.)
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../lab/confdir';
import { matrixService, writePassdb } from '../../lab/matrix';
import { runChild } from './child';

describe('memory', () => {
  it('stays flat over 14 000 transactions', async () => {
    const passdb = writePassdb([{ user: 'alice', password: 'secret', service: 'matrix' }]);
    const conf = makeConfDir({ matrix: matrixService(passdb, 'verbose') });
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      const answer = (value) => (m) => m.map((x) => (x.style === 'echo-off' ? value : null));
      const start = (conversation) => PamTransaction.start({ service: 'matrix', user: 'alice', confDir: process.env.CONF, conversation });
      async function round(i) {
        if (i % 10 === 1) {           // an answer the addon refuses
          const tx = await start(answer('sec\\0ret'));
          await tx.authenticate().catch(() => {});
          return tx.end();
        }
        if (i % 10 === 2) {           // aborted while the conversation waits
          const tx = await start(() => new Promise(() => {}));
          const call = tx.authenticate().catch(() => {});
          await new Promise((r) => setImmediate(r));
          tx.abort();
          await call;
          return tx.end();
        }
        const tx = await start(answer('secret'));
        await tx.authenticate();
        await tx.acctMgmt();
        await tx.putenv('A=b');
        await tx.getenvlist();
        await tx.getItem('user');
        await tx.end();
      }
      const rss = () => { gc(); gc(); return process.memoryUsage().rss / 1048576; };
      (async () => {
        let i = 0;
        for (; i < 2000; i++) await round(i);
        const samples = [];
        for (let phase = 0; phase < 4; phase++) {
          for (let n = 0; n < 3000; n++, i++) await round(i);
          samples.push(rss());
        }
        console.log(JSON.stringify(samples));
      })();`,
      // A small, single-threaded V8 young generation keeps the heap from growing on
      // its own terms, so that the resident set shows what the addon keeps.
      { args: ['--expose-gc', '--max-semi-space-size=1', '--single-threaded-gc'], env: { CONF: conf.dir }, timeoutMs: 120_000 },
    );
    expect(child.stderr).toBe('');
    const samples = JSON.parse(child.stdout) as number[];
    const growth = Math.max(...samples) - samples[0]!;
    // A leak of 200 bytes per transaction would add over 2 MB here.
    expect(growth, `resident set after each phase (MB): ${samples.map((s) => s.toFixed(1)).join(', ')}`).toBeLessThan(2);
  }, 120_000);
});
