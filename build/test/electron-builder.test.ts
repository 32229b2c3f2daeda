// The packaging configuration: valid for electron-builder, both by its JSON schema
// and by the checks its own Linux targets make before they build (the desktop
// entry, the package metadata), run through electron-builder itself; complete:
// every file of the deb's manifest exists, the addon is unpacked from the archive,
// and the fuses are off in production with exactly one exception in the test build.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { loadConfig } from '../../main/config';
import { APP_TREE, readManifest, units } from '../../scripts/package/manifest.mjs';
import { guardPath } from '../../main/lock/lock-support';

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
const manifest = readManifest(REPO_ROOT);
const files = manifest.filter((e) => e.source !== APP_TREE);
const installed = new Set(manifest.map((e) => e.target));

interface Builder {
  build(options: object): Promise<unknown>;
  Platform: { LINUX: { createTarget(targets: string[], arch: number): unknown } };
  Arch: Record<string, number>;
}
const builder = require('electron-builder') as Builder;

/**
 * electron-builder's own checks of a configuration for Linux targets, as a real
 * build makes them before it downloads or runs any tool (the desktop entry, the
 * package metadata): its `effectiveOptionComputed` hook stops each target there.
 * Resolves to the first problem, or to what the targets computed.
 */
async function builderChecks(config: Json, targets: string[], projectDir = REPO_ROOT): Promise<{ problem?: string; computed: unknown[] }> {
  const prepackaged = makeTempDir('gatehouse-builder-app-');
  mkdirSync(join(prepackaged, 'resources'));
  const computed: unknown[] = [];
  try {
    await builder.build({
      projectDir,
      prepackaged,
      targets: builder.Platform.LINUX.createTarget(targets, builder.Arch[process.arch === 'arm64' ? 'arm64' : 'x64']!),
      // electron-builder changes the configuration it gets: a copy each time.
      config: { ...structuredClone(config), electronVersion: electronVersion(), publish: null, directories: { output: makeTempDir('gatehouse-builder-out-') } },
      publish: 'never',
      effectiveOptionComputed: (options: unknown) => {
        computed.push(options);
        return Promise.resolve(true);
      },
    });
    return { computed };
  } catch (error) {
    return { problem: (error as Error).message, computed };
  }
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The Linux targets electron-builder would build from the configuration, and its deb (which npm run package replaces). */
const BUILDER_TARGETS = [...((production.linux as Json).target as string[]).filter((t) => t !== 'dir'), 'deb'];

describe('build/electron-builder.yml', () => {
  it('matches electron-builder’s schema', () => {
    expect(problems(production)).toEqual([]);
  });

  it('and the schema check does catch mistakes', () => {
    expect(problems({ ...production, electronFuse: {} })).not.toEqual([]);
    expect(problems({ ...production, compression: 'fastest-please' })).not.toEqual([]);
    expect(problems(merge(production, { electronFuses: { runAsNode: false, notAFuse: true } }))).not.toEqual([]);
  });

  it('makes the application directory the deb is built from, and an AppImage where its tools can be downloaded', () => {
    expect((production.linux as Json).target).toEqual(['dir', 'AppImage']);
    expect(production.deb).toBeUndefined();
  });

  it(`passes electron-builder's own checks for its Linux targets (${BUILDER_TARGETS.join(', ')})`, async () => {
    const result = await builderChecks(production, BUILDER_TARGETS);
    expect(result.problem).toBeUndefined();
    expect(result.computed).toHaveLength(BUILDER_TARGETS.length);
    const entry = (result.computed.find((c) => typeof c === 'object' && c !== null && 'desktop' in c) as { desktop: string }).desktop;
    expect(entry).toMatch(/^Exec=AppRun lock --now %U$/m);
    expect(entry).toMatch(/^Name=Lock Screen \(Gatehouse\)$/m);
  }, 120_000);

  it('and those checks do catch mistakes: an Exec in the desktop entry, package metadata without a homepage', async () => {
    const withExec = structuredClone(production);
    ((withExec.linux as Json).desktop as { entry: Json }).entry.Exec = '/usr/bin/gatehouse lock --now';
    expect((await builderChecks(withExec, ['AppImage'])).problem).toMatch(/specify executable name as linux\.executableName instead of linux\.desktop\.Exec/);
    const project = makeTempDir('gatehouse-builder-project-');
    const manifestJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Json;
    delete manifestJson.homepage;
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifestJson));
    expect((await builderChecks(production, ['deb'], project)).problem).toMatch(/Please specify project homepage/);
  }, 120_000);

  it('unpacks the libpam addon from the archive, where native/index.ts looks for it', () => {
    expect(production.asar).toBe(true);
    expect(production.asarUnpack).toContain('**/*.node');
    expect(production.files).toContain('native/build/Release/gatehouse_pam.node');
    expect(readFileSync(join(REPO_ROOT, 'native', 'index.ts'), 'utf8')).toContain('app.asar.unpacked');
  });

  it('unpacks what the engine daemon runs in plain Node: its own entry and every package it requires, and no more', () => {
    const unpacked = production.asarUnpack as string[];
    expect(unpacked).toEqual(expect.arrayContaining(['dist/main/**', 'dist/native/**', 'package.json']));
    const app = manifest.find((e) => e.source === APP_TREE)!.target;
    const wrapper = readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse-engine'), 'utf8');
    expect(wrapper).toContain(`exec /usr/bin/node ${app}/resources/app.asar.unpacked/dist/main/hosts/socket/daemon-main.js "$@"`);
    // The packages the daemon's modules require, followed from its entry.
    const entry = join(REPO_ROOT, 'dist', 'main', 'hosts', 'socket', 'daemon-main.js');
    expect(existsSync(entry), 'the daemon is built (npm run build)').toBe(true);
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        if (specifier!.startsWith('node:') || builtinModules.includes(specifier!)) continue;
        if (specifier!.startsWith('.')) {
          const target = join(dirname(file), specifier!);
          const resolved = [target, `${target}.js`, join(target, 'index.js')].find((p) => existsSync(p) && statSync(p).isFile());
          if (resolved !== undefined) visit(resolved);
          continue;
        }
        packages.add(specifier!.split('/')[0]!);
      }
    };
    visit(entry);
    // The root daemon loads no UI host, no D-Bus, no Electron.
    expect([...packages].sort()).toEqual(['zod']);
    expect([...seen].some((file) => file.includes(`${join('hosts', 'electron')}`) || file.includes(`${join('hosts', 'browser')}`))).toBe(false);
    for (const name of packages) expect(unpacked, `node_modules/${name} is unpacked`).toContain(`node_modules/${name}/**`);
  });

  it('ships dist/libexec (the screen guard, the password change’s terminal) as resources/libexec, where the app looks', () => {
    expect(production.extraResources).toEqual([{ from: 'dist/libexec', to: 'libexec' }]);
    expect(guardPath('/opt/G/resources/app.asar', '/opt/G/resources', true, (p) => p.startsWith('/opt/'))).toBe('/opt/G/resources/libexec/gatehouse-guard');
    expect(guardPath(REPO_ROOT, undefined, false)).toBe(join(REPO_ROOT, 'dist', 'libexec', 'gatehouse-guard'));
    if (!existsSync(join(REPO_ROOT, 'dist', 'main'))) {
      console.warn('SKIP the built helpers check: dist/ is not built (npm run build)');
      return;
    }
    for (const helper of ['gatehouse-guard', 'gatehouse-passwd-pty', 'gatehouse-login-record', 'gatehouse-vt']) {
      expect(() => accessSync(join(REPO_ROOT, 'dist', 'libexec', helper), constants.X_OK), helper).not.toThrow();
    }
  });

  it('packs the Electron entry named in package.json', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main?: string };
    expect(manifest.main).toBe('dist/main/cli.js');
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

  it('the lock screen desktop entry: no Exec (electron-builder writes it), the arguments that lock', () => {
    const linux = production.linux as Json;
    expect((linux.desktop as { entry: Json }).entry.Exec).toBeUndefined();
    expect(linux.executableArgs).toEqual(['lock', '--now']);
  });
});

describe('build/deb/manifest', () => {
  it('installs the app, the command, the PAM services, the units, the accounts and the manual pages', () => {
    expect(manifest.find((e) => e.source === APP_TREE)?.target).toBe('/usr/lib/gatehouse');
    for (const target of [
      '/usr/bin/gatehouse',
      '/usr/bin/gatehouse-askpass',
      '/etc/gatehouse/config.json',
      '/etc/pam.d/gatehouse-login',
      '/etc/pam.d/gatehouse-unlock',
      '/etc/pam.d/gatehouse-elevate',
      '/etc/pam.d/gatehouse-greeter',
      '/usr/libexec/gatehouse/gatehouse-engine',
      '/usr/lib/systemd/system/gatehouse-engine.service',
      '/usr/lib/systemd/system/gatehouse-greeter.service',
      '/usr/lib/systemd/system/gatehouse-greeter-cage.service',
      '/usr/lib/systemd/user/gatehouse-lock.service',
      '/usr/lib/systemd/user/gatehouse-polkit-agent.service',
      '/usr/share/gatehouse/autostart/gatehouse-polkit-agent.desktop',
      '/usr/lib/sysusers.d/gatehouse.conf',
      '/usr/share/man/man1/gatehouse.1.gz',
      '/usr/share/man/man1/gatehouse-askpass.1.gz',
      '/usr/share/doc/gatehouse/copyright',
      '/usr/libexec/gatehouse/gatehouse-guard',
      '/usr/libexec/gatehouse/gatehouse-passwd-pty',
      '/usr/libexec/gatehouse/gatehouse-login-record',
      '/usr/libexec/gatehouse/gatehouse-vt',
    ]) {
      expect(installed.has(target), target).toBe(true);
    }
  });

  it('from files that exist; programs are executable; every program on the PATH has a manual page', () => {
    for (const { source, mode } of files) {
      if (source.startsWith('dist/') && !existsSync(join(REPO_ROOT, 'dist', 'libexec'))) {
        console.warn(`SKIP ${source}: dist/ is not built (npm run build)`);
        continue;
      }
      const file = join(REPO_ROOT, source);
      expect(statSync(file).isFile(), source).toBe(true);
      if (mode === 0o755) expect(() => accessSync(file, constants.X_OK), `${source} is executable`).not.toThrow();
    }
    for (const program of files.filter((e) => e.target.startsWith('/usr/bin/'))) {
      const name = program.target.slice('/usr/bin/'.length);
      expect(installed.has(`/usr/share/man/man1/${name}.1.gz`), `man page of ${name}`).toBe(true);
    }
  });

  it('a default configuration that loads, leaves the sessions to discovery, and keeps users\' sessions off the X11 unit\'s VT', () => {
    const config = loadConfig({ path: join(REPO_ROOT, 'build', 'deb', 'config.json') });
    expect(config.login.sessions).toBeUndefined();
    // Sessions on VT 8: the greeter units hold VT 7.
    expect(config.login).toMatchObject({ tty: 'tty8', vt: 8 });
    expect(config.login.display).toBeUndefined();
    const wrapper = readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse-x11-greeter'), 'utf8');
    expect(wrapper).toContain('/usr/bin/Xorg :0 vt7 ');
  });

  it('runs only programs the package or its recommended packages provide in its units and helpers', () => {
    for (const { source } of files.filter((e) => e.source.endsWith('.service'))) {
      const exec = /^ExecStart=(\S+)/m.exec(readFileSync(join(REPO_ROOT, source), 'utf8'))?.[1];
      expect(exec, source).toBeDefined();
      expect(installed.has(exec!), `${source}: ${exec}`).toBe(true);
    }
    const askpass = readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse-askpass'), 'utf8');
    expect(askpass).toContain('exec /usr/bin/gatehouse askpass -- "$@"');
    const launcher = readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse'), 'utf8');
    expect(launcher).toContain('app=/usr/lib/gatehouse/gatehouse');
    expect((production.linux as Json).executableName).toBe('gatehouse');
  });

  it('runs no greeter as root: _gatehouse, a client of the engine daemon, sandboxed', () => {
    const read = (name: string) => readFileSync(join(REPO_ROOT, 'build', name), 'utf8');
    expect(read('deb/sysusers.conf')).toMatch(/^u _gatehouse - /m);
    expect(read('systemd/gatehouse-engine.service')).toContain('--socket /run/gatehouse/engine.sock --client-user _gatehouse');
    const cage = read('systemd/gatehouse-greeter-cage.service');
    expect(cage).toMatch(/^User=_gatehouse$/m);
    expect(cage).toMatch(/^PAMName=gatehouse-greeter$/m);
    const x11 = read('bin/gatehouse-x11-greeter');
    expect(x11).toContain('setpriv --reuid="$greeter" --regid="$greeter" --init-groups');
    expect(x11).toMatch(/^greeter=_gatehouse$/m);
    for (const [name, text] of [['x11', x11], ['wayland', read('bin/gatehouse-wayland-greeter')]] as const) {
      expect(text, name).not.toContain('--no-sandbox');
      expect(text, name).toContain('--mode login --engine /run/gatehouse/engine.sock');
    }
    for (const unit of ['gatehouse-greeter.service', 'gatehouse-greeter-cage.service']) {
      expect(read(`systemd/${unit}`), unit).toMatch(/^Requires=gatehouse-engine\.service$/m);
      expect(read(`systemd/${unit}`), unit).toMatch(/^After=gatehouse-engine\.service /m);
    }
  });

  it('the greeter units give up instead of restarting forever, and say why where it is seen', () => {
    for (const unit of units(manifest).system) {
      const text = readFileSync(join(REPO_ROOT, 'build', 'systemd', unit), 'utf8');
      expect(text, unit).toMatch(/^Restart=always$/m);
      expect(text, unit).toMatch(/^RestartPreventExitStatus=2 78$/m);
      expect(text, unit).toMatch(/^StartLimitIntervalSec=\d+$/m);
      expect(text, unit).toMatch(/^StartLimitBurst=\d+$/m);
      expect(text, unit).toMatch(/^StandardError=journal\+console$/m);
    }
  });
});

describe('/usr/bin/gatehouse', () => {
  // The launcher, with the Electron binary replaced by a script that prints its arguments.
  const dir = makeTempDir('gatehouse-launcher-');
  const fake = join(dir, 'electron');
  writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" "$@"\n');
  spawnSync('chmod', ['755', fake]);
  const launcher = join(dir, 'gatehouse');
  writeFileSync(launcher, readFileSync(join(REPO_ROOT, 'build', 'bin', 'gatehouse'), 'utf8').replace('app=/usr/lib/gatehouse/gatehouse', `app=${fake}`));
  const argsOf = (...args: string[]) => spawnSync('sh', [launcher, ...args], { encoding: 'utf8' }).stdout.trim().split('\n');

  it('runs the terminal commands and --help/--version with Chromium headless and unsandboxed', () => {
    expect(argsOf('check', '--service', 'x', 'authenticate')).toEqual(['--headless', '--no-sandbox', 'check', '--service', 'x', 'authenticate']);
    expect(argsOf('serve', '--mode', 'unlock')).toEqual(['--headless', '--no-sandbox', 'serve', '--mode', 'unlock']);
    expect(argsOf('--version')).toEqual(['--headless', '--no-sandbox', '--version']);
    expect(argsOf('lock', '--help')).toEqual(['--headless', '--no-sandbox', 'lock', '--help']);
  });

  it('runs the app as it is asked to, a --help after -- included', () => {
    expect(argsOf('--mode', 'login')).toEqual(['--mode', 'login']);
    expect(argsOf('lock', '--now')).toEqual(['lock', '--now']);
    expect(argsOf('--mode', 'elevate', '--', 'apt-get', '--help')).toEqual(['--mode', 'elevate', '--', 'apt-get', '--help']);
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
    expect(readFileSync(join(REPO_ROOT, 'build', 'deb', 'control'), 'utf8')).toMatch(/^Recommends:.*\bpolkitd\b/m);
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
  const unitFiles = files.filter((e) => e.source.endsWith('.service'));
  const analyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
  const unavailable = analyze.status === 0 ? undefined : 'systemd-analyze is not installed (apt package systemd)';
  if (unavailable !== undefined) console.warn(`SKIP systemd unit verification: ${unavailable}`);

  it.skipIf(unavailable !== undefined)(
    `pass systemd-analyze verify, but for what only the installed package provides${unavailable === undefined ? '' : ` [skipped: ${unavailable}]`}`,
    () => {
      for (const { source } of unitFiles) {
        const result = spawnSync('systemd-analyze', ['verify', join(REPO_ROOT, source)], { encoding: 'utf8' });
        const complaints = `${result.stdout}${result.stderr}`
          .split('\n')
          .filter((line) => line.trim() !== '')
          .filter((line) => {
            const missing = /Command (\S+) is not executable: No such file or directory/.exec(line);
            if (missing !== null) return !installed.has(missing[1]!);
            // Documentation=man:gatehouse(1): the package installs the page.
            const manual = /Command 'man (\S+)\((\d)\)' failed/.exec(line);
            if (manual !== null) return !installed.has(`/usr/share/man/man${manual[2]}/${manual[1]}.${manual[2]}.gz`);
            return true;
          });
        expect(complaints, source).toEqual([]);
      }
    },
  );
});
