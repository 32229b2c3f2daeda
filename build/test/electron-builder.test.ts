// The packaging configuration: valid for electron-builder (checked against its own
// JSON schema, the way electron-builder checks it), and complete: every file the
// deb installs exists, the addon is unpacked from the archive, and the fuses are
// off in production with exactly one exception in the test build.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/paths';

type Json = Record<string, unknown>;

const require = createRequire(__filename);
const yaml = require('js-yaml') as { load(text: string): unknown };
// electron-builder validates with the ajv it ships (app-builder-lib's own copy).
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const Ajv = (builderRequire('ajv') as { default: new (options: object) => AjvInstance }).default;
interface AjvInstance {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
}
const schema = JSON.parse(readFileSync(builderRequire.resolve('./scheme.json'), 'utf8')) as object;
// The options of app-builder-lib/out/util/config/schemaValidator.js.
const validate = new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(schema);

function load(name: string): Json {
  return yaml.load(readFileSync(join(REPO_ROOT, 'build', name), 'utf8')) as Json;
}

function problems(config: Json): string[] {
  // coerceTypes may rewrite values: validate a copy.
  const copy = structuredClone(config);
  return validate(copy) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** electron-builder's `extends`: objects merge, everything else replaces. */
function merge(base: Json, overlay: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (key === 'extends') continue;
    const current = result[key];
    result[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object' && !Array.isArray(current)
        ? merge(current as Json, value as Json)
        : value;
  }
  return result;
}

const production = load('electron-builder.yml');
const testBuild = load('electron-builder.test.yml');
const deb = production.deb as { fpm: string[]; depends: string[] };
const mappings = deb.fpm.map((entry) => {
  const [source, target] = entry.split('=');
  return { source: source!, target: target! };
});

describe('build/electron-builder.yml', () => {
  it('matches electron-builder’s schema', () => {
    expect(problems(production)).toEqual([]);
  });

  it('and the schema check does catch mistakes', () => {
    expect(problems({ ...production, electronFuse: {} })).not.toEqual([]);
    expect(problems({ ...production, compression: 'fastest-please' })).not.toEqual([]);
    expect(problems(merge(production, { electronFuses: { runAsNode: false, notAFuse: true } }))).not.toEqual([]);
  });

  it('builds deb, AppImage and dir for Linux', () => {
    expect((production.linux as Json).target).toEqual(['deb', 'AppImage', 'dir']);
  });

  it('unpacks the libpam addon from the archive, where native/index.ts looks for it', () => {
    expect(production.asar).toBe(true);
    expect(production.asarUnpack).toEqual(['**/*.node']);
    expect(production.files).toContain('native/build/Release/gatehouse_pam.node');
    expect(readFileSync(join(REPO_ROOT, 'native', 'index.ts'), 'utf8')).toContain('app.asar.unpacked');
  });

  it('packs the Electron entry named in package.json', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main?: string };
    expect(manifest.main).toBe('dist/main/hosts/electron/main.js');
    expect(production.files).toEqual(expect.arrayContaining(['package.json', 'dist/main/**/*.js', 'dist/electron/**/*', 'dist/renderer/**/*']));
  });

  it('turns off the fuses that make the binary a general Node.js or let code in', () => {
    expect(production.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('installs the PAM services, the systemd units and the helpers from files that exist', () => {
    expect(mappings.map((m) => m.target).sort()).toEqual([
      '/etc/pam.d/gatehouse-elevate',
      '/etc/pam.d/gatehouse-login',
      '/etc/pam.d/gatehouse-unlock',
      '/usr/bin/gatehouse-askpass',
      '/usr/lib/systemd/system/gatehouse-greeter-cage.service',
      '/usr/lib/systemd/system/gatehouse-greeter.service',
      '/usr/lib/systemd/user/gatehouse-lock.service',
      '/usr/lib/systemd/user/gatehouse-polkit-agent.service',
      '/usr/libexec/gatehouse/gatehouse-x11-greeter',
      '/usr/share/gatehouse/autostart/gatehouse-polkit-agent.desktop',
    ]);
    for (const { source, target } of mappings) {
      const file = join(REPO_ROOT, source);
      expect(statSync(file).isFile(), source).toBe(true);
      if (target.startsWith('/usr/bin/') || target.startsWith('/usr/libexec/')) {
        expect(() => accessSync(file, constants.X_OK), `${source} is executable`).not.toThrow();
      }
    }
  });

  it('runs only programs the packages provide in its units and helpers', () => {
    const installed = new Set(['/usr/bin/gatehouse', ...mappings.map((m) => m.target)]);
    for (const { source } of mappings.filter((m) => m.source.endsWith('.service'))) {
      const exec = /^ExecStart=(\S+)/m.exec(readFileSync(join(REPO_ROOT, source), 'utf8'))?.[1];
      expect(exec, source).toBeDefined();
      const program = exec!;
      // Either ours, or a program a recommended package installs (cage).
      expect(installed.has(program) || program === '/usr/bin/cage', `${source}: ${program}`).toBe(true);
    }
    const askpass = readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse-askpass'), 'utf8');
    expect(askpass).toContain('exec /usr/bin/gatehouse askpass -- "$@"');
  });

  it('depends on PAM and systemd besides what Electron needs', () => {
    expect(deb.depends).toEqual(expect.arrayContaining(['libnss3', 'libgtk-3-0', 'libpam0g', 'systemd']));
  });

  it('ships the polkit agent as a user unit and an autostart entry, both running gatehouse polkit-agent', () => {
    const unit = readFileSync(join(REPO_ROOT, 'build', 'systemd', 'user', 'gatehouse-polkit-agent.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/gatehouse polkit-agent$/m);
    expect(unit).toMatch(/^PartOf=graphical-session\.target$/m);
    const entry = readFileSync(join(REPO_ROOT, 'build', 'autostart', 'gatehouse-polkit-agent.desktop'), 'utf8');
    const fields = Object.fromEntries(
      entry
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(entry.startsWith('[Desktop Entry]\n')).toBe(true);
    expect(fields).toMatchObject({ Type: 'Application', Exec: '/usr/bin/gatehouse polkit-agent', Terminal: 'false', NoDisplay: 'true' });
    expect((production.deb as { recommends: string[] }).recommends).toContain('polkitd');
  });

  it('installs a desktop entry that locks the screen', () => {
    const entry = ((production.linux as Json).desktop as Json).entry as Json;
    expect(entry).toMatchObject({ Exec: '/usr/bin/gatehouse lock --now', Terminal: 'false' });
  });
});

describe('build/electron-builder.test.yml', () => {
  const merged = merge(production, testBuild);

  it('extends the production configuration and matches the schema, alone and merged', () => {
    expect(testBuild.extends).toBe('build/electron-builder.yml');
    expect(existsSync(join(REPO_ROOT, String(testBuild.extends)))).toBe(true);
    expect(problems(testBuild)).toEqual([]);
    expect(problems(merged)).toEqual([]);
  });

  it('differs from production only in what the Electron specs need', () => {
    const fuses = merged.electronFuses as Json;
    expect({ ...fuses, enableNodeCliInspectArguments: false }).toEqual(production.electronFuses);
    expect(fuses.enableNodeCliInspectArguments).toBe(true);
    expect(merged.extraMetadata).toEqual({ gatehouseBuild: 'test' });
    expect((merged.directories as Json).output).not.toBe((production.directories as Json).output);
  });
});

describe('the systemd units', () => {
  const units = mappings.filter((m) => m.source.endsWith('.service'));
  const analyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
  const unavailable = analyze.status === 0 ? undefined : 'systemd-analyze is not installed (apt package systemd)';
  if (unavailable !== undefined) console.warn(`SKIP systemd unit verification: ${unavailable}`);

  it.skipIf(unavailable !== undefined)(
    `pass systemd-analyze verify, but for the programs only the installed packages provide${unavailable === undefined ? '' : ` [skipped: ${unavailable}]`}`,
    () => {
      const provided = new Set(['/usr/bin/gatehouse', '/usr/bin/cage', ...mappings.map((m) => m.target)]);
      for (const { source } of units) {
        const result = spawnSync('systemd-analyze', ['verify', join(REPO_ROOT, source)], { encoding: 'utf8' });
        const complaints = `${result.stdout}${result.stderr}`
          .split('\n')
          .filter((line) => line.trim() !== '')
          .filter((line) => {
            const missing = /Command (\S+) is not executable: No such file or directory/.exec(line);
            return missing === null || !provided.has(missing[1]!);
          });
        expect(complaints, source).toEqual([]);
      }
    },
  );
});
