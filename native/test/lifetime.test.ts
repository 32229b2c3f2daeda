// A transaction's end in every case: garbage-collected without end(), the process
// exiting with transactions open, a module that never returns. In child processes,
// since each of these ends or damages the process it happens in.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../lab/confdir';
import { SCRIPT_MODULE } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { runChild } from './child';

function scriptStack(text: string) {
  const dir = makeTempDir('gatehouse-lifetime-');
  const script = join(dir, 'script');
  writeFileSync(script, text.replaceAll('$DIR', dir));
  const conf = makeConfDir({
    s: `auth required ${SCRIPT_MODULE} script=${script}\naccount required ${SCRIPT_MODULE} script=${script}`,
  });
  return { dir, confDir: conf.dir };
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

const tidOf = (line: string) => /tid=(\d+)/.exec(line)?.[1];

describe('lifetime', () => {
  it('ends a transaction that was garbage-collected without end(), on its own thread', async () => {
    const { dir, confDir } = scriptStack('[auth]\nrecord $DIR/calls\nrecord-cleanup $DIR/cleanup\n');
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      const { existsSync } = require('node:fs');
      (async () => {
        await (async () => {
          const tx = await PamTransaction.start({ service: 's', user: 'alice', confDir: process.env.CONF, conversation: () => [] });
          await tx.authenticate();
        })();
        for (let i = 0; i < 100 && !existsSync(process.env.DIR + '/cleanup'); i++) {
          globalThis.gc();
          await new Promise((r) => setTimeout(r, 20));
        }
        console.log(existsSync(process.env.DIR + '/cleanup') ? 'ended' : 'still open');
      })();`,
      { args: ['--expose-gc'], env: { CONF: confDir, DIR: dir } },
    );
    expect(child.stdout.trim()).toBe('ended');
    expect(child.code).toBe(0);
    const [call] = lines(join(dir, 'calls'));
    const [cleanup] = lines(join(dir, 'cleanup'));
    expect(cleanup).toMatch(/^cleanup tid=\d+ status=0$/);
    expect(tidOf(cleanup!)).toBe(tidOf(call!));
    expect(tidOf(cleanup!)).not.toBe(String(child.code));
  });

  it('aborts and ends open transactions when the process exits', async () => {
    // One waits in a conversation nobody answers, one sleeps in the module, one is idle.
    const { dir, confDir } = scriptStack(
      '[auth]\nrecord-cleanup $DIR/cleanup\nmsg echo-off "Password: "\nsend\n[account]\nrecord-cleanup $DIR/cleanup\nsleep 300\n',
    );
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      const start = (conversation) => PamTransaction.start({ service: 's', user: 'alice', confDir: process.env.CONF, conversation });
      (async () => {
        const waiting = await start(() => new Promise(() => {}));
        waiting.authenticate().catch(() => {});
        const sleeping = await start(() => []);
        sleeping.acctMgmt().catch(() => {});
        const idle = await start(() => []);
        await new Promise((r) => setTimeout(r, 100));
        process.exit(3);
      })();`,
      { env: { CONF: confDir } },
    );
    expect(child.timedOut).toBe(false);
    expect(child.code).toBe(3);
    expect(child.stderr).toBe('');
    // Both handles with a cleanup saw pam_end: the one whose conversation was
    // aborted (its last call failed: PAM_CONV_ERR's status), and the one that was
    // sleeping in the module (its last call never returned: status 0).
    expect(lines(join(dir, 'cleanup')).map((l) => l.replace(/tid=\d+ /, '')).sort()).toEqual([
      'cleanup status=0',
      'cleanup status=0',
    ]);
  });

  it('lets the process exit after abort() even if the module never returns', async () => {
    const { confDir } = scriptStack('[auth]\nhang\n');
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      (async () => {
        const tx = await PamTransaction.start({ service: 's', user: 'alice', confDir: process.env.CONF, conversation: () => [] });
        const call = tx.authenticate().catch((e) => console.log(e.code));
        await new Promise((r) => setTimeout(r, 200));
        tx.abort(new Error('give up'));
        await call;
      })();`,
      { env: { CONF: confDir }, timeoutMs: 15_000 },
    );
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim()).toBe('ABORT_ERR');
    expect(child.code).toBe(0);
    // Teardown waits a bounded time for the stuck thread, then says so.
    expect(child.stderr).toMatch(/did not return within 2000 ms at shutdown/);
    expect(child.elapsedMs).toBeLessThan(10_000);
  });
});
