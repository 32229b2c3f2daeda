// The deb's Depends from its ELF files (scripts/package/deb.mjs, dpkg-shlibdeps):
// a library of the system becomes a dependency; a library the package brings
// itself (as Electron brings libffmpeg.so beside its binary, found through
// RPATH $ORIGIN) does not, and does not stop the build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../lab/tmp';
import { shlibDepends } from '../../scripts/package/deb.mjs';

const missing = ['gcc', 'dpkg-shlibdeps'].find((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (missing !== undefined) console.warn(`SKIP the deb's dependencies: ${missing} is not installed (build-essential)`);

describe.skipIf(missing !== undefined)(`the deb's library dependencies${missing === undefined ? '' : ` [skipped: ${missing} is not installed]`}`, () => {
  it('names the system libraries a program needs, not the ones it brings along', () => {
    const work = makeTempDir('gatehouse-shlibs-');
    const stage = join(work, 'root');
    const app = join(stage, 'usr', 'lib', 'app');
    mkdirSync(join(stage, 'DEBIAN'), { recursive: true });
    mkdirSync(app, { recursive: true });
    writeFileSync(join(work, 'private.c'), 'int private_answer(void) { return 42; }\n');
    writeFileSync(join(work, 'main.c'), '#include <security/pam_appl.h>\nint private_answer(void);\nint main(void) { return private_answer() + (pam_strerror(0, 0) != 0); }\n');
    const gcc = (args: string[]) => {
      const result = spawnSync('gcc', args, { encoding: 'utf8', cwd: work });
      expect(result.status, result.stderr).toBe(0);
    };
    gcc(['-shared', '-fPIC', '-o', join(app, 'libprivate.so'), 'private.c']);
    gcc(['-o', join(app, 'program'), 'main.c', `-L${app}`, '-lprivate', '-lpam', '-Wl,-rpath,$ORIGIN']);

    const depends = shlibDepends(stage);
    expect(depends.map((d) => d.split(' ')[0])).toEqual(expect.arrayContaining(['libc6', 'libpam0g']));
    expect(depends.join(', ')).not.toMatch(/private/);
  });
});
