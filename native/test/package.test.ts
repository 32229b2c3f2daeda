// `require('gatehouse/pam')` is the addon's public door: the package's `exports`
// map, self-referenced from inside the package after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/paths';

const built = existsSync(join(REPO_ROOT, 'dist', 'native', 'index.js'));

describe('package', () => {
  it('exports gatehouse/pam with its types', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('gatehouse');
    expect(pkg.exports['./pam']).toEqual({ types: './dist/native/index.d.ts', default: './dist/native/index.js' });
  });

  it('resolves require("gatehouse/pam") from inside the package', (ctx) => {
    if (!built) {
      console.warn('SKIP gatehouse/pam self-reference: dist/native/index.js is not built (npm test builds it first)');
      ctx.skip();
    }
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const pam = require('gatehouse/pam');
         console.log(JSON.stringify({
           resolved: require.resolve('gatehouse/pam'),
           api: typeof pam.PamTransaction.start, error: typeof pam.PamError,
           success: pam.constants.PAM_SUCCESS, confdir: pam.hasStartConfdir,
         }));`,
      ],
      { cwd: join(REPO_ROOT, 'main'), encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({
      resolved: join(REPO_ROOT, 'dist', 'native', 'index.js'),
      api: 'function',
      error: 'function',
      success: 0,
      confdir: true,
    });
  });
});
