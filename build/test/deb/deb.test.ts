// The Debian package, end to end: `npm run package` builds it (electron-builder
// around the Electron stand-in, then dpkg-deb), lintian finds nothing, and it is
// installed with dpkg into a throw-away root (this machine's / under a tmpfs
// overlay, lab/throwaway-root.ts) where the installed program runs against the
// installed PAM service with a real user, systemd-analyze accepts the installed
// units, the default configuration passes `gatehouse check --config`, and purge
// leaves nothing behind.
//
// Runs on its own after the other suites (scripts/test.sh, vitest.package.config.mts):
// building the package keeps both cores busy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lab/paths';
import { ThrowawayRoot, throwawayRootUnavailable, type Change } from '../../../lab/throwaway-root';
import { APP_TREE, conffiles, readManifest, sysusersAccounts, units } from '../../../scripts/package/manifest.mjs';

const manifest = readManifest(REPO_ROOT);
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; homepage: string };
const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
const DEB = join(REPO_ROOT, 'dist', 'packages', `gatehouse_${pkg.version}_${arch}.deb`);
const ACCOUNTS = sysusersAccounts(readFileSync(join(REPO_ROOT, 'build', 'deb', 'sysusers.conf'), 'utf8'));
const USER = 'debtest';
const DEBIAN_COMMON_STACKS: Record<string, string> = {
  'common-auth': 'auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\nauth required pam_permit.so\n',
  'common-account': 'account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n',
  'common-password': 'password [success=1 default=ignore] pam_unix.so obscure yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\n',
  'common-session': 'session [default=1] pam_permit.so\nsession requisite pam_deny.so\nsession required pam_permit.so\nsession required pam_unix.so\n',
};
const PASSWORD = 'Deb-test-password-7';

function missingTool(): string | undefined {
  for (const [tool, apt] of [
    ['dpkg-deb', 'dpkg'],
    ['lintian', 'lintian'],
    ['systemd-analyze', 'systemd'],
    ['strip', 'binutils'],
  ]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt package ${apt})`;
  }
  if (!statSync(join(REPO_ROOT, 'dist', 'main', 'cli.js'), { throwIfNoEntry: false })) return 'dist/ is not built (npm run build)';
  return throwawayRootUnavailable();
}

const unavailable = missingTool();
if (unavailable !== undefined) console.warn(`SKIP the deb suite: ${unavailable}`);
const describeDeb = unavailable === undefined ? describe : describe.skip;

function run(command: string, args: string[], options: { cwd?: string; timeout?: number } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: options.cwd ?? REPO_ROOT, timeout: options.timeout ?? 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describeDeb(`the deb (npm run package, stand-in Electron)${unavailable === undefined ? '' : ` [skipped: ${unavailable}]`}`, () => {
  let contents: string;

  beforeAll(() => {
    rmSync(DEB, { force: true });
    const built = run(process.execPath, ['scripts/package.mjs', '--stand-in'], { timeout: 600_000 });
    expect(built.status, built.output).toBe(0);
    expect(built.output).toContain('building with the STAND-IN for Electron');
    contents = run('dpkg-deb', ['--contents', DEB]).output;
  }, 600_000);

  it('is dist/packages/gatehouse_<version>_<arch>.deb, with the fields a package manager shows', () => {
    const field = (name: string) => run('dpkg-deb', ['--field', DEB, name]).output.trim();
    expect(field('Package')).toBe('gatehouse');
    expect(field('Version')).toBe(pkg.version);
    expect(field('Architecture')).toBe(arch);
    expect(field('Homepage')).toBe(pkg.homepage);
    expect(field('Depends')).toMatch(/libpam0g \(>= [^)]+\)/);
    expect(field('Depends').split(', ')).toEqual(expect.arrayContaining(['libpam-runtime', 'systemd', 'libnss3', 'libgtk-3-0', 'nodejs (>= 20)']));
    expect(field('Recommends').split(', ')).toEqual(expect.arrayContaining(['xinit', 'xauth', 'cage']));
  });

  it('holds every file of build/deb/manifest at its place and mode; its conffiles are the files under /etc', () => {
    const listed = new Map(
      contents
        .trim()
        .split('\n')
        .map((line) => {
          const fields = line.split(/\s+/);
          return [fields[5]!.replace(/^\./, '').replace(/\/$/, ''), { mode: fields[0]!, owner: fields[1]! }] as const;
        }),
    );
    for (const entry of manifest) {
      const found = listed.get(entry.target);
      expect(found, `${entry.target} (manifest line ${entry.line})`).toBeDefined();
      expect(found!.owner).toBe('root/root');
      if (entry.source !== APP_TREE) {
        const mode = entry.mode === 0o755 ? '-rwxr-xr-x' : '-rw-r--r--';
        expect(found!.mode, entry.target).toBe(mode);
      }
    }
    expect(listed.get('/usr/lib/gatehouse/resources/app.asar')?.mode).toBe('-rw-r--r--');
    expect(listed.get('/usr/lib/gatehouse/gatehouse')?.mode).toBe('-rwxr-xr-x');
    expect([...listed.keys()].filter((path) => path.endsWith('default_app.asar'))).toEqual([]);
    const control = mkdtempSync(join(tmpdir(), 'gatehouse-deb-control-'));
    try {
      expect(run('dpkg-deb', ['--control', DEB, control]).status).toBe(0);
      expect(readFileSync(join(control, 'conffiles'), 'utf8').trim().split('\n')).toEqual(conffiles(manifest));
      // The maintainer scripts got every placeholder filled in from the manifest.
      for (const script of ['postinst', 'postrm']) {
        const text = readFileSync(join(control, script), 'utf8');
        expect(text, script).not.toMatch(/@[A-Z_]+@/);
      }
      expect(readFileSync(join(control, 'postrm'), 'utf8')).toContain(`for unit in ${[...units(manifest).system, ...units(manifest).user].join(' ')}; do`);
      expect(readFileSync(join(control, 'postrm'), 'utf8')).toContain(`for account in ${ACCOUNTS.join(' ')}; do`);
    } finally {
      rmSync(control, { recursive: true, force: true });
    }
  });

  it('is lintian clean, pedantic and experimental tags too; every override says why', () => {
    const result = run('lintian', ['--pedantic', '--display-experimental', '--fail-on', 'error,warning,info,pedantic,experimental', DEB]);
    expect(result.output.split('\n').filter((line) => /^[EWIPX]: /.test(line))).toEqual([]);
    expect(result.status, result.output).toBe(0);
    const lines = readFileSync(join(REPO_ROOT, 'build', 'deb', 'lintian-overrides'), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('gatehouse: ')) expect(lines[i - 1], `the override on line ${i + 1}`).toMatch(/^(#|gatehouse: )/);
    });
  });

  it('has the fuses of build/electron-builder.yml flipped in the installed Electron binary', async () => {
    const yaml = createRequire(__filename)('js-yaml') as { load(text: string): { electronFuses: Record<string, boolean> } };
    const { getCurrentFuseWire, FuseV1Options } = await import('@electron/fuses');
    const wanted = yaml.load(readFileSync(join(REPO_ROOT, 'build', 'electron-builder.yml'), 'utf8')).electronFuses;
    const extracted = mkdtempSync(join(tmpdir(), 'gatehouse-deb-files-'));
    try {
      expect(run('dpkg-deb', ['--extract', DEB, extracted]).status).toBe(0);
      const wire = await getCurrentFuseWire(join(extracted, 'usr', 'lib', 'gatehouse', 'gatehouse'));
      const names: Record<string, keyof typeof FuseV1Options> = {
        runAsNode: 'RunAsNode',
        enableCookieEncryption: 'EnableCookieEncryption',
        enableNodeOptionsEnvironmentVariable: 'EnableNodeOptionsEnvironmentVariable',
        enableNodeCliInspectArguments: 'EnableNodeCliInspectArguments',
        enableEmbeddedAsarIntegrityValidation: 'EnableEmbeddedAsarIntegrityValidation',
        onlyLoadAppFromAsar: 'OnlyLoadAppFromAsar',
        loadBrowserProcessSpecificV8Snapshot: 'LoadBrowserProcessSpecificV8Snapshot',
        grantFileProtocolExtraPrivileges: 'GrantFileProtocolExtraPrivileges',
      };
      for (const [option, on] of Object.entries(wanted)) {
        const index = FuseV1Options[names[option]!] as unknown as number;
        expect((wire as unknown as Record<number, number>)[index], option).toBe(on ? 0x31 : 0x30);
      }
    } finally {
      rmSync(extracted, { recursive: true, force: true });
    }
  });

  describe('installed with dpkg into a throw-away root', () => {
    let root: ThrowawayRoot;
    let before: Map<string, Change>;
    const gatehouse = (args: string[], input = '') => root.run('gatehouse', args, { input });

    beforeAll(async () => {
      root = await ThrowawayRoot.start();
      // A machine as after a Debian server install: the common-* stacks pam-auth-update
      // writes with pam_unix alone (whatever else this machine's /etc/pam.d has),
      // a user with a password, no display manager.
      for (const [name, text] of Object.entries(DEBIAN_COMMON_STACKS)) root.writeFile(`/etc/pam.d/${name}`, text);
      expect(root.run('useradd', ['--create-home', '--shell', '/bin/sh', USER]).status).toBe(0);
      const chpasswd = root.run('chpasswd', [], { input: `${USER}:${PASSWORD}\n` });
      expect(chpasswd.status, chpasswd.output).toBe(0);
      root.run('rm', ['-f', '/etc/systemd/system/display-manager.service']);
      // Nothing of Gatehouse and no desktop before the installation, whatever the
      // machine running the tests has (its own lockout state, a compositor a suite needs).
      root.run('rm', ['-rf', '/var/lib/gatehouse', '/usr/share/xsessions', '/usr/share/wayland-sessions']);
      root.writeFile('/tmp/gatehouse.deb', readFileSync(DEB));
      before = root.changes();
    }, 60_000);

    afterAll(async () => {
      await root?.stop();
    });

    it('installs with dpkg -i, its dependencies already satisfied, and creates the login screen’s account', () => {
      const installed = root.run('dpkg', ['-i', '/tmp/gatehouse.deb']);
      expect(installed.status, installed.output).toBe(0);
      expect(root.run('dpkg-query', ['-W', '-f', '${Status}', 'gatehouse']).stdout).toBe('install ok installed');
      for (const account of ACCOUNTS) {
        const entry = root.run('getent', ['passwd', account]).stdout.trim().split(':');
        expect(entry[0]).toBe(account);
        expect(Number(entry[2])).toBeLessThan(1000);
        expect(entry[6]).toBe('/usr/sbin/nologin');
      }
    });

    it('enables and starts nothing', () => {
      const links = root.run('find', ['/etc/systemd', '-lname', '*gatehouse*']);
      expect(links.stdout).toBe('');
    });

    it('gatehouse is on the PATH: --version, and --help for each command', () => {
      expect(root.run('sh', ['-c', 'command -v gatehouse']).stdout.trim()).toBe('/usr/bin/gatehouse');
      expect(gatehouse(['--version'])).toMatchObject({ status: 0, stdout: `gatehouse ${pkg.version}\n` });
      expect(gatehouse(['--help']).stdout).toMatch(/^usage: gatehouse COMMAND/);
      expect(gatehouse(['check', '--help']).stdout).toMatch(/^usage: gatehouse check/);
      expect(gatehouse(['serve', '--help']).stdout).toMatch(/^usage: gatehouse serve/);
      for (const command of ['lock', 'askpass']) expect(gatehouse([command, '--help']).stdout, command).toMatch(/^usage: gatehouse \[app\]/);
      // Without Electron, the windows are not there, and it says so.
      const app = gatehouse(['--mode', 'unlock']);
      expect(app.status).toBe(3);
      expect(app.stderr).toContain('built with a stand-in for Electron');
    });

    it('has a manual page for each program on the PATH', () => {
      for (const page of ['gatehouse', 'gatehouse-askpass']) {
        const found = root.run('man', ['-w', page]);
        expect(found.stdout.trim(), page).toBe(`/usr/share/man/man1/${page}.1.gz`);
      }
    });

    it('gatehouse check: the installed gatehouse-unlock service, through Debian’s common-* stacks, with a real user', () => {
      const ops = gatehouse(['check', '--service', 'gatehouse-unlock', '--user', USER, 'authenticate', 'acct_mgmt'], `${PASSWORD}\n`);
      expect(ops.output).toContain('everything succeeded');
      expect(ops.status).toBe(0);
      const flow = gatehouse(['check', '--flow', 'unlock', '--user', USER], `${PASSWORD}\n`);
      expect(flow.output).toContain('everything succeeded');
      expect(flow.status).toBe(0);
      const wrong = gatehouse(['check', '--flow', 'unlock', '--user', USER, '--json'], 'not the password\n');
      expect(wrong.status).toBe(1);
      expect(wrong.stdout).toContain('"code":"PAM_AUTH_ERR"');
      expect(wrong.output).not.toContain('not the password');
    });

    it('the engine daemon runs from the package in plain Node, as root, for _gatehouse: a login through it', () => {
      // A PAM service of the installed machine's common-* stacks (pam_loginuid,
      // in gatehouse-login, may not work in a container), and a session to start.
      root.writeFile('/etc/pam.d/gatehouse-deb-engine', '@include common-auth\n@include common-account\n@include common-session\n');
      root.writeFile('/tmp/engine.json', JSON.stringify({ login: { sessions: [{ id: 'true', name: 'True', argv: ['/bin/true'] }], sessionType: 'tty' } }));
      const script = [
        'set -u',
        'mkdir -p /run/gatehouse && chmod 755 /run/gatehouse',
        '/usr/libexec/gatehouse/gatehouse-engine --socket /run/gatehouse/engine.sock --client-user _gatehouse \\',
        '  --config /tmp/engine.json --service gatehouse-deb-engine >/tmp/engine.out 2>/tmp/engine.err &',
        'daemon=$!',
        'trap \'kill $daemon 2>/dev/null; wait $daemon\' EXIT',
        'i=0; while [ ! -S /run/gatehouse/engine.sock ]; do i=$((i+1)); [ $i -gt 300 ] && { cat /tmp/engine.err >&2; exit 9; }; sleep 0.1; done',
        'stat -c "%U %a" /run/gatehouse/engine.sock',
        `printf '%s\\n' '${PASSWORD}' | setpriv --reuid=_gatehouse --regid=_gatehouse --init-groups env HOME=/tmp \\`,
        `  gatehouse check --json --flow login --engine /run/gatehouse/engine.sock --user ${USER} --session true`,
      ].join('\n');
      const result = root.run('sh', ['-c', script]);
      expect(result.stdout.split('\n')[0]).toBe('_gatehouse 600');
      expect(result.stdout).toContain('{"event":"outcome","ok":true,"code":"PAM_SUCCESS"}');
      expect(result.status, result.output).toBe(0);
      const log = readFileSync(root.hostPath('/tmp/engine.err'), 'utf8');
      expect(log).toContain('"event":"client-connected"');
      expect(log).not.toContain(PASSWORD);
      root.run('rm', ['-f', '/etc/pam.d/gatehouse-deb-engine', '/tmp/engine.json', '/tmp/engine.out', '/tmp/engine.err']);
    });

    it('systemd-analyze verify accepts the installed units', () => {
      const { system, user } = units(manifest);
      const systemUnits = root.run('systemd-analyze', ['verify', ...system.map((u) => `/usr/lib/systemd/system/${u}`)]);
      expect(systemUnits.output).toBe('');
      expect(systemUnits.status).toBe(0);
      const userUnits = root.run('systemd-analyze', ['--user', 'verify', ...user.map((u) => `/usr/lib/systemd/user/${u}`)], {
        env: { XDG_RUNTIME_DIR: '/tmp' },
      });
      expect(userUnits.output).toBe('');
      expect(userUnits.status).toBe(0);
    });

    it('the default configuration passes gatehouse check --config; the login screen says it has no session, and why', () => {
      const all = gatehouse(['check', '--config', '/etc/gatehouse/config.json']);
      expect(all.stdout).toContain('configuration /etc/gatehouse/config.json: valid');
      expect(all.status).toBe(0);
      const login = gatehouse(['check', '--config', '/etc/gatehouse/config.json', '--mode', 'login']);
      expect(login.status, login.output).toBe(1);
      expect(login.stdout).toContain('cannot start: no session');
      // The greeter units' start scripts stop with one line and status 78, which they do not restart on.
      const preflight = root.run('/usr/libexec/gatehouse/gatehouse-greeter-preflight', []);
      expect(preflight.status).toBe(78);
      expect(preflight.stderr).toMatch(/^gatehouse: the login screen cannot start: no session: login\.sessions is not set and none is installed in .*\/usr\/share\/xsessions/);
      const x11 = root.run('/usr/libexec/gatehouse/gatehouse-x11-greeter', []);
      expect(x11.status).toBe(78);
      expect(x11.stderr).toMatch(/^gatehouse: the login screen cannot start: /);
      for (const unit of units(manifest).system) {
        const text = readFileSync(root.hostPath(`/usr/lib/systemd/system/${unit}`), 'utf8');
        expect(text, unit).toMatch(/^RestartPreventExitStatus=2 78$/m);
        expect(text, unit).toMatch(/^StartLimitBurst=\d+$/m);
        expect(text, unit).toMatch(/^StandardError=journal\+console$/m);
      }
    });

    it('once a desktop is installed, the login screen offers it with the default configuration', () => {
      root.run('mkdir', ['-p', '/usr/share/xsessions']);
      root.writeFile('/usr/share/xsessions/shell.desktop', '[Desktop Entry]\nName=Shell session\nExec=/bin/sh\nType=Application\n');
      const login = gatehouse(['check', '--config', '/etc/gatehouse/config.json', '--mode', 'login']);
      expect(login.stdout).toContain('    shell: Shell session [x11] (/usr/share/xsessions/shell.desktop)');
      expect(login.status).toBe(0);
      expect(root.run('/usr/libexec/gatehouse/gatehouse-greeter-preflight', ['sh'])).toMatchObject({ status: 0, stderr: '' });
      root.run('rm', ['-r', '/usr/share/xsessions']);
    });

    it('purge leaves nothing: no file, no unit link an administrator made, no account', () => {
      expect(root.run('systemctl', ['enable', 'gatehouse-greeter.service']).status).toBe(0);
      expect(root.run('systemctl', ['--global', 'enable', 'gatehouse-lock.service']).status).toBe(0);
      expect(root.run('find', ['/etc/systemd', '-lname', '*gatehouse*']).stdout).not.toBe('');
      root.run('sh', ['-c', 'echo "{\\"theme\\": \\"dark\\"}" > /etc/gatehouse/config.json']); // an administrator's change
      const purged = root.run('dpkg', ['--purge', 'gatehouse']);
      expect(purged.status, purged.output).toBe(0);
      expect(root.run('dpkg-query', ['-W', 'gatehouse']).status).not.toBe(0);
      for (const account of ACCOUNTS) {
        expect(root.run('getent', ['passwd', account]).status, account).toBe(2);
        expect(root.run('getent', ['group', account]).status, account).toBe(2);
      }

      // What changed since before the installation, but for dpkg's own records and caches.
      // The login records a session wrote (wtmp, lastlog) are the system's, kept as after any login.
      const bookkeeping = /^\/var\/(lib\/dpkg|log\/dpkg\.log|log\/wtmp|log\/btmp|log\/lastlog|cache\/man|cache\/debconf)(\/|$)|^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)-$/;
      const after = root.changes();
      const left: string[] = [];
      for (const [path, change] of after) {
        if (bookkeeping.test(path)) continue;
        const was = before.get(path);
        if (was === undefined) {
          // A new directory in the upper layer that the host has too is only a copy-up.
          if (change.kind === 'dir' && statSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
          left.push(`${path} (new ${change.kind})`);
        } else if (was.kind !== change.kind || was.content !== change.content) {
          left.push(`${path} (changed)`);
        }
      }
      for (const path of before.keys()) {
        if (!after.has(path) && !bookkeeping.test(path)) left.push(`${path} (gone)`);
      }
      expect(left).toEqual([]);
    });
  });
});
