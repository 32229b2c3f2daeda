// confDir goes through pam_start_confdir, looked up at run time: on a libpam
// without it (before Linux-PAM 1.4) the addon still loads, says so, and refuses
// confDir with a clear error while plain pam_start keeps working.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { hasStartConfdir } from '../index';
import { runChild } from './child';

describe('pam_start_confdir', () => {
  it('is found in this libpam', () => {
    expect(hasStartConfdir).toBe(true);
  });

  it('missing: confDir is refused with a clear error, plain pam_start still works', async () => {
    const shim = join(makeTempDir('gatehouse-shim-'), 'without_start_confdir.so');
    execFileSync('gcc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', shim, join(REPO_ROOT, 'native', 'fixtures', 'without_start_confdir.c'), '-ldl']);
    const child = await runChild(
      `const { PamTransaction, hasStartConfdir } = require(process.env.GH_INDEX);
      (async () => {
        const withConfDir = await PamTransaction.start({ service: 'x', confDir: '/tmp', conversation: () => [] })
          .then(() => 'started', (e) => e.code + ': ' + e.message);
        const tx = await PamTransaction.start({ service: 'gatehouse-no-such-service', user: 'root', conversation: () => [] });
        const service = await tx.getItem('service');
        await tx.end();
        console.log(JSON.stringify({ hasStartConfdir, withConfDir, service }));
      })();`,
      { env: { LD_PRELOAD: shim } },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      hasStartConfdir: false,
      withConfDir: 'ERR_PAM_NO_CONFDIR: this libpam has no pam_start_confdir (Linux-PAM 1.4 or later is needed for confDir)',
      service: 'gatehouse-no-such-service',
    });
  });
});
