// The process-level protections: answers live in secure memory (locked where
// RLIMIT_MEMLOCK allows, excluded from core dumps, as /proc/self/smaps shows),
// and a process that holds answers can make itself non-dumpable.
import { describe, expect, it } from 'vitest';
import { makeConfDir } from '../../lab/confdir';
import { matrixService, writePassdb } from '../../lab/matrix';
import { runChild } from './child';

const SECRET = 'guarded-Secret-77';

function matrixDir(): string {
  const passdb = writePassdb([{ user: 'alice', password: SECRET, service: 'matrix' }]);
  return makeConfDir({ matrix: matrixService(passdb) }).dir;
}

describe('secure memory', () => {
  it('keeps answers in mappings excluded from core dumps (and locked when the limit allows)', async () => {
    const child = await runChild(
      `
      const { PamTransaction, secureMemoryStats } = require(process.env.GH_INDEX);
      const { readFileSync } = require('node:fs');
      (async () => {
        let during;
        const tx = await PamTransaction.start({
          service: 'matrix', user: 'alice', confDir: process.env.CONF,
          conversation: (m) => m.map((x) => (x.style === 'echo-off' ? new TextEncoder().encode(process.env.ANSWER) : null)),
        });
        await tx.authenticate();
        during = secureMemoryStats();
        await tx.end();
        // Mappings with both 'dd' (do not dump) and, if locked, 'lo' in their VmFlags.
        const smaps = readFileSync('/proc/self/smaps', 'utf8').split(/\\n(?=[0-9a-f]+-[0-9a-f]+ )/);
        const flags = smaps.map((m) => (m.match(/^VmFlags:(.*)$/m) || [, ''])[1].trim().split(' '));
        console.log(JSON.stringify({
          stats: during,
          dontdump: flags.filter((f) => f.includes('dd')).length,
          lockedAndDontdump: flags.filter((f) => f.includes('dd') && f.includes('lo')).length,
        }));
      })().catch((e) => { console.error(e); process.exit(1); });
      `,
      { env: { CONF: matrixDir(), ANSWER: SECRET } },
    );
    expect(child.stderr).toBe('');
    const report = JSON.parse(child.stdout) as {
      stats: { mappedBytes: number; lockedBytes: number; dontdumpBytes: number };
      dontdump: number;
      lockedAndDontdump: number;
    };
    expect(report.stats.mappedBytes).toBeGreaterThan(0);
    expect(report.stats.dontdumpBytes).toBe(report.stats.mappedBytes);
    expect(report.dontdump).toBeGreaterThan(0);
    if (report.stats.lockedBytes > 0) expect(report.lockedAndDontdump).toBeGreaterThan(0);
    else console.warn('secure memory: RLIMIT_MEMLOCK allows no locked pages here; only the dump exclusion is checked');
  });
});

describe('makeProcessUndumpable', () => {
  it('turns PR_SET_DUMPABLE off', async () => {
    const child = await runChild(`
      const pam = require(process.env.GH_INDEX);
      const before = pam.processDumpable();
      pam.makeProcessUndumpable();
      console.log(JSON.stringify({ before, after: pam.processDumpable() }));
    `);
    expect(JSON.parse(child.stdout)).toEqual({ before: true, after: false });
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(!asRoot)('hands /proc/PID to root, so that the process\'s own user cannot read its memory', async () => {
    // Run as nobody: a dumpable process's /proc/PID belongs to its user, a non-dumpable one's to root.
    const child = await runChild(
      `
      const pam = require(process.env.GH_INDEX);
      const { statSync } = require('node:fs');
      const owner = () => statSync('/proc/self/status').uid;
      const before = owner();
      pam.makeProcessUndumpable();
      console.log(JSON.stringify({ uid: process.getuid(), before, after: owner() }));
      `,
      { wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ uid: 65534, before: 65534, after: 0 });
  });
  if (!asRoot) console.warn('SKIP makeProcessUndumpable as another user: not root (setpriv needs it)');
});
