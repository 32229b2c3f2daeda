// The configuration: defaults, the file, overrides on top, and errors that name
// the field and the problem; then the engine options derived from it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeInEtcOverlay } from '../../../lab/skip';
import { makeTempDir } from '../../../lab/tmp';
import { ADMIN_GROUP, USERS } from '../../../lab/users';
import { ConfigError, DEFAULT_CONFIG_PATH, desktopSessionSettings, engineOptionsFor, loadConfig } from '..';
import type { ConfigInput, SystemFacts } from '..';
import { userListFor } from '../user-list';
import { defaultStateDir } from '../state-dir';

const dir = makeTempDir('gatehouse-config-test-');
let files = 0;

function writeConfig(content: unknown): string {
  const file = join(dir, `config-${++files}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const SESSIONS: ConfigInput['login'] = { sessions: [{ id: 'desktop', name: 'Desktop', argv: ['/usr/bin/startx'] }] };

/** A system that knows no accounts and no keyboard, with `env` as its environment. */
function quietSystem(env: NodeJS.ProcessEnv = {}): SystemFacts {
  return {
    env,
    identities: { lookup: () => undefined, picture: () => undefined },
    keyboard: { env, querySetxkbmap: () => undefined, readKeyboardFile: () => undefined },
  };
}

describe('loadConfig', () => {
  it('fills in every default', () => {
    const config = loadConfig({ path: writeConfig({}) });
    expect(config).toEqual({
      services: { login: 'gatehouse-login', unlock: 'gatehouse-unlock', elevate: 'gatehouse-elevate' },
      login: {
        sessionType: 'x11',
        sessionClass: 'user',
        seat: 'seat0',
        xServer: ['/usr/bin/Xorg', '-nolisten', 'tcp', '-keeptty'],
        runtimeDirBase: '/run/user',
        records: { utmp: '/var/run/utmp', wtmp: '/var/log/wtmp' },
      },
      users: { source: 'none' },
      elevate: {
        adminGroup: 'sudo',
        action: 'Authentication is required to make changes to the system',
        program: 'gatehouse',
      },
      timeouts: { promptMs: 120_000 },
      passwordChange: 'auto',
      lockout: { enabled: true, maxFailures: 5, windowMs: 900_000, lockMs: 300_000, mechanism: 'auto', minFailDelayMs: 2000 },
      power: { allowed: [], commands: {} },
      theme: 'default',
    });
  });

  it('takes how an expired password is changed, and nothing else there', () => {
    expect(loadConfig({ path: writeConfig({ passwordChange: 'passwd' }) }).passwordChange).toBe('passwd');
    expect(() => loadConfig({ path: writeConfig({ passwordChange: 'sudo' }) })).toThrow(/passwordChange/);
  });

  it('reads every field from the file', () => {
    const file = writeConfig({
      services: { login: 'kiosk', unlock: 'kiosk-lock', elevate: 'kiosk-admin' },
      confDir: '/opt/gatehouse/pam.d',
      login: { ...SESSIONS, sessionType: 'wayland', sessionClass: 'user', seat: 'seat1', vt: 7, tty: 'tty7', display: ':0' },
      users: { source: 'list', users: [{ name: 'alice', displayName: 'Alice' }, { name: 'bob' }] },
      elevate: { adminGroup: 'wheel', action: 'Do it', program: 'tool', command: ['/usr/bin/true'] },
      timeouts: { promptMs: 0 },
      lockout: {
        enabled: true,
        maxFailures: 3,
        windowMs: 1000,
        lockMs: 2000,
        mechanism: 'engine',
        stateDir: '/srv/gatehouse-state',
        minFailDelayMs: 500,
      },
      power: { allowed: ['poweroff', 'reboot'], commands: { poweroff: ['/sbin/poweroff'] } },
      theme: 'high-contrast',
      locale: 'pt-BR',
    });
    const config = loadConfig({ path: file });
    expect(config.services.unlock).toBe('kiosk-lock');
    expect(config.login).toEqual({
      sessions: [{ id: 'desktop', name: 'Desktop', argv: ['/usr/bin/startx'] }],
      sessionType: 'wayland',
      sessionClass: 'user',
      seat: 'seat1',
      vt: 7,
      tty: 'tty7',
      display: ':0',
      xServer: ['/usr/bin/Xorg', '-nolisten', 'tcp', '-keeptty'],
      runtimeDirBase: '/run/user',
      records: { utmp: '/var/run/utmp', wtmp: '/var/log/wtmp' },
    });
    expect(config.users).toEqual({ source: 'list', users: [{ name: 'alice', displayName: 'Alice' }, { name: 'bob' }] });
    expect(config.lockout).toEqual({
      enabled: true,
      maxFailures: 3,
      windowMs: 1000,
      lockMs: 2000,
      mechanism: 'engine',
      stateDir: '/srv/gatehouse-state',
      minFailDelayMs: 500,
    });
    expect(config.power.commands).toEqual({ poweroff: ['/sbin/poweroff'] });
    expect(config.locale).toBe('pt-BR');
  });

  it('puts overrides on top of the file, field by field; arrays replace', () => {
    const file = writeConfig({
      services: { login: 'from-file', unlock: 'from-file-unlock' },
      power: { allowed: ['poweroff', 'reboot'] },
    });
    const config = loadConfig({
      path: file,
      overrides: { services: { login: 'from-flag' }, timeouts: { promptMs: 5000 }, power: { allowed: ['suspend'] } },
    });
    expect(config.services).toEqual({ login: 'from-flag', unlock: 'from-file-unlock', elevate: 'gatehouse-elevate' });
    expect(config.timeouts.promptMs).toBe(5000);
    expect(config.power.allowed).toEqual(['suspend']);
  });

  it('refuses a file given explicitly that does not exist', () => {
    const missing = join(dir, 'missing.json');
    const error = configError(() => loadConfig({ path: missing }));
    expect(error.message).toBe(`configuration ${missing}: the file does not exist`);
    expect(error.file).toBe(missing);
  });

  it('refuses a file that is not JSON, or not a JSON object', () => {
    const broken = writeConfig('{ "theme": ');
    expect(configError(() => loadConfig({ path: broken })).message).toMatch(
      new RegExp(`^configuration ${broken}: not valid JSON \\(.+\\)$`),
    );
    const list = writeConfig('[1, 2]');
    expect(configError(() => loadConfig({ path: list })).message).toBe(`configuration ${list}: must be a JSON object`);
  });

  it.each([
    [{ theme: 'dark', colour: 'red' }, 'unknown field colour'],
    [{ login: { sessions: [{ id: 'x', name: 'X', argv: '/bin/sh' }] } }, 'login.sessions[0].argv: must be an array'],
    [{ login: { sessions: [{ id: 'x', name: 'X' }] } }, 'login.sessions[0].argv: is required'],
    [{ login: { sessions: [{ id: 'x', name: 'X', argv: [] }] } }, 'login.sessions[0].argv: must name a command'],
    [
      { login: { sessions: [{ id: 'x', name: 'A', argv: ['/a'] }, { id: 'x', name: 'B', argv: ['/b'] }] } },
      "login.sessions[1]: duplicate session id 'x'",
    ],
    [{ login: { sessionType: 'mir' } }, 'login.sessionType: must be one of "x11", "wayland", "tty"'],
    [{ login: { vt: 0 } }, 'login.vt: must be at least 1'],
    [{ services: { login: '../etc/passwd' } }, 'services.login: must be a PAM service name'],
    [{ confDir: 'relative/dir' }, 'confDir: must be an absolute path'],
    [{ users: { source: 'ldap' } }, 'users.source: Invalid discriminator value'],
    [{ users: { source: 'passwd', minUid: 2000, maxUid: 1000 } }, 'users.minUid: minUid must not be above maxUid'],
    [{ timeouts: { promptMs: -1 } }, 'timeouts.promptMs: must be at least 0'],
    [{ timeouts: { promptMs: 1.5 } }, 'timeouts.promptMs: must be an integer'],
    [{ lockout: { enabled: 'yes' } }, 'lockout.enabled: must be a boolean'],
    [{ power: { allowed: ['hibernate'] } }, 'power.allowed[0]: must be one of "poweroff", "reboot", "suspend"'],
    [{ locale: 'english please' }, 'locale: must be a locale such as de_DE.UTF-8'],
    [{ locale: '../../etc/passwd' }, 'locale: must be a locale'],
    [{ keyboardLayouts: ['German'] }, 'keyboardLayouts[0]: must be an XKB layout'],
    [{ elevate: { adminGroup: 'bad group' } }, 'elevate.adminGroup: must be an account name'],
  ])('names the field and the problem: %j', (content, problem) => {
    const file = writeConfig(content);
    const error = configError(() => loadConfig({ path: file }));
    expect(error.message).toContain(`configuration ${file}: `);
    expect(error.message).toContain(problem);
  });

  it('lists every problem at once', () => {
    const error = configError(() => loadConfig({ path: writeConfig({ theme: 'Bad Theme', timeouts: { promptMs: 'soon' } }) }));
    expect(error.issues.map((i) => i.field).sort()).toEqual(['theme', 'timeouts.promptMs']);
  });

  it('refuses bad overrides the same way', () => {
    const error = configError(() => loadConfig({ path: writeConfig({}), overrides: { services: { unlock: '' } } }));
    expect(error.issues).toEqual([{ field: 'services.unlock', problem: expect.stringContaining('PAM service name') }]);
  });
});

describe('engineOptionsFor', () => {
  it('login: services, sessions, seat, users, power, timeouts', () => {
    const config = loadConfig({
      path: writeConfig({
        confDir: '/opt/pam.d',
        login: { ...SESSIONS, sessionType: 'tty', vt: 2, tty: 'tty2' },
        users: { source: 'list', users: [{ name: 'alice' }] },
        power: { allowed: ['reboot'], commands: { reboot: ['/bin/true'] } },
        lockout: { stateDir: '/srv/gatehouse-state' },
        timeouts: { promptMs: 30_000 },
      }),
    });
    expect(engineOptionsFor(config, 'login', { system: quietSystem({ LANG: 'en_GB.UTF-8' }) })).toEqual({
      mode: 'login',
      service: 'gatehouse-login',
      confDir: '/opt/pam.d',
      users: [{ name: 'alice' }],
      promptTimeoutMs: 30_000,
      passwordChange: 'auto',
      power: ['reboot'],
      powerCommands: { reboot: ['/bin/true'] },
      lockout: { maxFailures: 5, windowMs: 900_000, lockMs: 300_000, mechanism: 'auto', stateDir: '/srv/gatehouse-state' },
      minFailDelayMs: 2000,
      locale: 'en_GB.UTF-8',
      theme: 'default',
      login: {
        sessions: [{ id: 'desktop', name: 'Desktop', command: ['/usr/bin/startx'] }],
        sessionType: 'tty',
        sessionClass: 'user',
        seat: 'seat0',
        vtnr: 2,
        tty: 'tty2',
      },
    });
  });

  it('login without login.sessions offers the installed sessions', () => {
    const share = makeTempDir('gatehouse-share-');
    mkdirSync(join(share, 'xsessions'));
    writeFileSync(join(share, 'xsessions', 'shell.desktop'), '[Desktop Entry]\nName=Shell\nName[de]=Kommandozeile\nExec=/bin/sh -l\n');
    const config = loadConfig({ path: writeConfig({ locale: 'de' }) });
    expect(engineOptionsFor(config, 'login', { discovery: { dataDirs: [share] } }).login?.sessions).toEqual([
      { id: 'shell', name: 'Kommandozeile', command: ['/bin/sh', '-l'], type: 'x11', desktopNames: [] },
    ]);
  });

  it('sessions carry their kind and desktop names; the daemon\'s launcher settings come from login', () => {
    const config = loadConfig({
      path: writeConfig({
        login: {
          sessions: [
            { id: 'sway', name: 'Sway', argv: ['/usr/bin/sway'], type: 'wayland', desktopNames: ['sway'] },
            { id: 'xterm', name: 'xterm', argv: ['/usr/bin/xterm'] },
          ],
          sessionType: 'x11',
          vt: 7,
          xServer: ['/usr/bin/Xvfb'],
          runtimeDirBase: '/tmp/run-user',
          records: null,
        },
      }),
    });
    expect(engineOptionsFor(config, 'login').login?.sessions).toEqual([
      { id: 'sway', name: 'Sway', command: ['/usr/bin/sway'], type: 'wayland', desktopNames: ['sway'] },
      { id: 'xterm', name: 'xterm', command: ['/usr/bin/xterm'] },
    ]);
    expect(desktopSessionSettings(config)).toEqual({ defaultKind: 'x11', xServer: ['/usr/bin/Xvfb'], seat: 'seat0', vt: 7, runtimeDirBase: '/tmp/run-user' });
    const problems = configError(() =>
      loadConfig({ path: writeConfig({ login: { sessions: [{ id: 'x', name: 'X', argv: ['/x'], type: 'mir', desktopNames: ['a:b'] }], xServer: [], runtimeDirBase: 'run', records: { utmp: '/u' } } }) }),
    ).issues.map((i) => i.field);
    expect(problems).toEqual(expect.arrayContaining(['login.sessions[0].type', 'login.sessions[0].desktopNames[0]', 'login.xServer', 'login.runtimeDirBase', 'login.records.wtmp']));
  });

  it('login with no session configured and none installed: an error that says where it looked', () => {
    const share = makeTempDir('gatehouse-share-');
    mkdirSync(join(share, 'xsessions'));
    writeFileSync(join(share, 'xsessions', 'gone.desktop'), '[Desktop Entry]\nName=Gone\nExec=/nonexistent/session\n');
    const error = configError(() => engineOptionsFor(loadConfig({ path: writeConfig({}) }), 'login', { discovery: { dataDirs: [share] } }));
    expect(error.issues).toEqual([
      {
        field: 'login.sessions',
        problem: `not set, and no desktop session is installed (looked in ${share}/wayland-sessions, ${share}/xsessions; 1 entry there cannot be used (gatehouse check --config lists why)): install a desktop, or list sessions in login.sessions`,
      },
    ]);
  });

  it('an empty login.sessions is an error, not a request to discover', () => {
    const error = configError(() => loadConfig({ path: writeConfig({ login: { sessions: [] } }) }));
    expect(error.issues).toEqual([
      { field: 'login.sessions', problem: 'must list at least one session (or leave login.sessions out to offer the installed ones)' },
    ]);
  });

  it('unlock: the given user, else the user running Gatehouse; no power actions', () => {
    const config = loadConfig({ path: writeConfig({ power: { allowed: ['reboot'] } }) });
    expect(engineOptionsFor(config, 'unlock', { user: 'alice' })).toMatchObject({ mode: 'unlock', user: 'alice', power: [] });
    expect(engineOptionsFor(config, 'unlock').user).toBe(userInfo().username);
    expect(engineOptionsFor(config, 'unlock').lockout).toMatchObject({ mechanism: 'auto', stateDir: defaultStateDir() });
  });

  it('the lockout: on by default, off on request; the minimum fail delay stays', () => {
    const off = loadConfig({ path: writeConfig({ lockout: { enabled: false } }) });
    expect(engineOptionsFor(off, 'unlock').lockout).toBeUndefined();
    expect(engineOptionsFor(off, 'unlock').minFailDelayMs).toBe(2000);
    const zero = loadConfig({ path: writeConfig({ lockout: { minFailDelayMs: 0 } }) });
    expect(engineOptionsFor(zero, 'unlock').minFailDelayMs).toBe(0);
  });

  it('keeps the lockout state in /var/lib/gatehouse as root, in the user\'s state directory otherwise', () => {
    expect(defaultStateDir({}, 0)).toBe('/var/lib/gatehouse');
    expect(defaultStateDir({ HOME: '/home/ann' }, 1000)).toBe('/home/ann/.local/state/gatehouse');
    expect(defaultStateDir({ HOME: '/home/ann', XDG_STATE_HOME: '/xdg/state' }, 1000)).toBe('/xdg/state/gatehouse');
    expect(defaultStateDir({ GATEHOUSE_STATE_DIR: '/run/test-state' }, 0)).toBe('/run/test-state');
    // A relative directory is no place for it.
    expect(defaultStateDir({ GATEHOUSE_STATE_DIR: 'state' }, 0)).toBe('/var/lib/gatehouse');
  });

  it('elevate without an admin group: the requesting user confirms', () => {
    const config = loadConfig({ path: writeConfig({ elevate: { adminGroup: null, command: ['/bin/true'] } }) });
    expect(engineOptionsFor(config, 'elevate', { user: 'alice' })).toMatchObject({
      mode: 'elevate',
      service: 'gatehouse-elevate',
      user: 'alice',
      users: [],
      elevate: { action: 'Authentication is required to make changes to the system', program: 'gatehouse', command: ['/bin/true'] },
    });
  });
});

describe('the language of the screens', () => {
  const localeOf = (config: ConfigInput, env: NodeJS.ProcessEnv) =>
    engineOptionsFor(loadConfig({ path: writeConfig(config) }), 'unlock', { user: 'alice', system: quietSystem(env) }).locale;

  it('the configured locale, in POSIX or BCP 47 form', () => {
    expect(localeOf({ locale: 'de_DE.UTF-8' }, { LANG: 'fr_FR.UTF-8' })).toBe('de_DE.UTF-8');
    expect(localeOf({ locale: 'de_DE@euro' }, {})).toBe('de_DE@euro');
    expect(localeOf({ locale: 'pt-BR' }, {})).toBe('pt-BR');
    expect(localeOf({ locale: 'C.UTF-8' }, {})).toBe('C.UTF-8');
  });

  it('else the environment: LC_ALL, then LC_MESSAGES, then LANG; C without any', () => {
    expect(localeOf({}, { LC_ALL: 'fr_FR.UTF-8', LC_MESSAGES: 'de_DE.UTF-8', LANG: 'en_US.UTF-8' })).toBe('fr_FR.UTF-8');
    expect(localeOf({}, { LC_ALL: '', LC_MESSAGES: 'de_DE.UTF-8', LANG: 'en_US.UTF-8' })).toBe('de_DE.UTF-8');
    expect(localeOf({}, { LANG: 'de_AT.UTF-8' })).toBe('de_AT.UTF-8');
    expect(localeOf({}, {})).toBe('C');
  });
});

describe('the keyboard layouts', () => {
  const layoutsOf = (config: ConfigInput, system: SystemFacts) =>
    engineOptionsFor(loadConfig({ path: writeConfig(config) }), 'unlock', { user: 'alice', system }).keyboardLayouts;
  const withKeyboard = (file: string | undefined, query: string | undefined, display?: string): SystemFacts => {
    const env = display === undefined ? {} : { DISPLAY: display };
    return { ...quietSystem(env), keyboard: { env, querySetxkbmap: () => query, readKeyboardFile: () => file } };
  };

  it('from the X server when there is one, else /etc/default/keyboard', () => {
    const file = '# KEYBOARD CONFIGURATION FILE\nXKBMODEL="pc105"\nXKBLAYOUT="de,us"\nXKBVARIANT="nodeadkeys,"\nXKBOPTIONS="grp:alt_shift_toggle"\n';
    const query = 'rules:      evdev\nmodel:      pc105\nlayout:     fr,gb\nvariant:    ,\n';
    expect(layoutsOf({}, withKeyboard(file, query, ':7'))).toEqual([{ layout: 'fr' }, { layout: 'gb' }]);
    expect(layoutsOf({}, withKeyboard(file, query))).toEqual([{ layout: 'de', variant: 'nodeadkeys' }, { layout: 'us' }]);
    expect(layoutsOf({}, withKeyboard(file, undefined, ':7'))).toEqual([{ layout: 'de', variant: 'nodeadkeys' }, { layout: 'us' }]);
    expect(layoutsOf({}, withKeyboard(undefined, undefined))).toBeUndefined();
  });

  it('the configuration wins', () => {
    expect(layoutsOf({ keyboardLayouts: ['se', 'de(nodeadkeys)'] }, withKeyboard('XKBLAYOUT=us\n', undefined))).toEqual([
      { layout: 'se' },
      { layout: 'de', variant: 'nodeadkeys' },
    ]);
  });
});

describe('who is shown', () => {
  const system = (fullName: string, picture?: string): SystemFacts => ({
    ...quietSystem(),
    identities: {
      lookup: (name) => ({ name, uid: 1000, gid: 1000, fullName, home: `/home/${name}`, shell: '/bin/sh' }),
      picture: (account) => (picture === undefined ? undefined : `${picture}-${account.name}`),
    },
  });

  it('unlock and elevate: the display name from the user list, else from passwd, and the picture', () => {
    const listed = loadConfig({ path: writeConfig({ users: { source: 'list', users: [{ name: 'alice', displayName: 'Alice L.' }] } }) });
    expect(engineOptionsFor(listed, 'unlock', { user: 'alice', system: system('Alice Liddell', 'data:x') }).identity).toEqual({
      displayName: 'Alice L.',
      picture: 'data:x-alice',
    });
    const plain = loadConfig({ path: writeConfig({ elevate: { adminGroup: null } }) });
    expect(engineOptionsFor(plain, 'elevate', { user: 'bob', system: system('Bob Marley') }).identity).toEqual({ displayName: 'Bob Marley' });
    expect(engineOptionsFor(plain, 'elevate', { user: 'bob', system: system('') }).identity).toEqual({});
  });

  it('login: the listed users get their pictures', () => {
    const config = loadConfig({ path: writeConfig({ login: SESSIONS, users: { source: 'list', users: [{ name: 'alice' }, { name: 'bob' }] } }) });
    expect(engineOptionsFor(config, 'login', { system: system('', 'data:y') }).users).toEqual([
      { name: 'alice', picture: 'data:y-alice' },
      { name: 'bob', picture: 'data:y-bob' },
    ]);
  });
});

describe('user lists', () => {
  const accounts = [
    { name: 'root', uid: 0, gid: 0, fullName: 'root', home: '/root', shell: '/bin/bash' },
    { name: 'alice', uid: 1000, gid: 1000, fullName: 'Alice Liddell', home: '/home/alice', shell: '/bin/bash' },
    { name: 'svc', uid: 1001, gid: 1001, fullName: '', home: '/', shell: '/usr/sbin/nologin' },
    { name: 'bob', uid: 1002, gid: 1002, fullName: '', home: '/home/bob', shell: '/bin/sh' },
    { name: 'guest', uid: 1003, gid: 1003, fullName: '', home: '/', shell: '/bin/false' },
  ];
  it('passwd: accounts in the uid range that have a login shell', () => {
    expect(userListFor({ source: 'passwd', minUid: 1000, maxUid: 1002 }, () => accounts)).toEqual([
      { name: 'alice', displayName: 'Alice Liddell' },
      { name: 'bob' },
    ]);
  });
  it('none and list', () => {
    expect(userListFor({ source: 'none' }, () => accounts)).toEqual([]);
    expect(userListFor({ source: 'list', users: [{ name: 'zed' }] }, () => accounts)).toEqual([{ name: 'zed' }]);
  });
});

describeInEtcOverlay('config on a system with the lab users', () => {
  it('a missing file at the default path means defaults; a file there is read', () => {
    rmSync(DEFAULT_CONFIG_PATH, { force: true });
    expect(loadConfig().theme).toBe('default');
    mkdirSync(dirname(DEFAULT_CONFIG_PATH), { recursive: true });
    writeFileSync(DEFAULT_CONFIG_PATH, JSON.stringify({ theme: 'from-etc' }));
    try {
      expect(loadConfig().theme).toBe('from-etc');
      expect(loadConfig({ overrides: { theme: 'from-flag' } }).theme).toBe('from-flag');
    } finally {
      rmSync(DEFAULT_CONFIG_PATH);
    }
  });

  it('passwd users come from NSS (getent)', () => {
    const config = loadConfig({
      path: writeConfig({ login: SESSIONS, users: { source: 'passwd', minUid: USERS.plain.uid, maxUid: USERS.admin.uid } }),
    });
    expect(engineOptionsFor(config, 'login').users).toEqual([
      { name: USERS.plain.name, displayName: `gatehouse test ${USERS.plain.name}` },
      { name: USERS.admin.name, displayName: `gatehouse test ${USERS.admin.name}` },
    ]);
  });

  it('elevate as root with an admin group offers the group\'s members', () => {
    const config = loadConfig({ path: writeConfig({ elevate: { adminGroup: ADMIN_GROUP.name } }) });
    const options = engineOptionsFor(config, 'elevate');
    expect(options.users).toEqual([{ name: USERS.admin.name, displayName: `gatehouse test ${USERS.admin.name}` }]);
    expect(options.user).toBeUndefined();
    expect(options.elevate?.adminGroup).toBe(ADMIN_GROUP.name);
  });
});
