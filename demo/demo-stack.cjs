// The embedded demo PAM stack behind `npm start`: pam_matrix users, one whose
// password has expired (pam_pwquality judges the new one, the demo's own
// module, pam_gatehouse_demo_store.c, stores it)
// and one with a second factor, in a fresh state directory (pam_matrix and pam_oath rewrite
// their files) with its own confdir and config. The demo users exist for NSS too,
// through nss_wrapper (libnss-wrapper), as the user running the demo, so that a
// login can start the demo session for them. Nothing of the system's PAM or NSS
// configuration is used or changed.
// CommonJS, so that plain Node (scripts/start.mjs), vitest and Playwright all load it as is.
'use strict';
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const here = __dirname;

const DEMO_SERVICE = 'gatehouse-demo';

/** The RFC 4226/6238 test key ("12345678901234567890"): a demo secret, never a real one. */
const DEMO_TOTP_KEY = '3132333435363738393031323334353637383930';

/** What pam_pwquality asks of a new password in the demo. */
const DEMO_MIN_LENGTH = 10;

const DEMO_USERS = [
  { name: 'alice', password: 'alice-demo', displayName: 'Alice Liddell', note: 'password only' },
  {
    name: 'bob',
    password: 'bob-demo',
    displayName: 'Bob Ross',
    note: `expired password: must choose a new one (${DEMO_MIN_LENGTH} characters or more)`,
  },
  {
    name: 'carol',
    password: 'carol-demo',
    displayName: 'Carol Shaw',
    note: `password, then a one-time code: oathtool --totp ${DEMO_TOTP_KEY}`,
    totp: true,
  },
];

/** How long the demo session lasts, in seconds. */
const DEMO_SESSION_SECONDS = 5;

const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';

function firstDirWith(file, dirs, packageName) {
  const found = dirs.find((dir) => existsSync(join(dir, file)));
  if (found === undefined) throw new Error(`${file} not found in ${dirs.join(', ')}: install ${packageName}`);
  return found;
}

/** Where this machine keeps the modules the demo uses. */
function demoModulePaths() {
  const security = firstDirWith(
    'pam_oath.so',
    [`/usr/lib/${arch}/security`, `/lib/${arch}/security`, '/usr/lib64/security', '/usr/lib/security'],
    'libpam-modules and libpam-oath',
  );
  const wrapper = firstDirWith('pam_matrix.so', [`/usr/lib/${arch}/pam_wrapper`, '/usr/lib64/pam_wrapper'], 'libpam-wrapper');
  return { security, matrix: join(wrapper, 'pam_matrix.so') };
}

/**
 * Builds the demo's password store module into `dir` (gcc, from
 * build-essential; libpam0g-dev). A module of the demo's own rather than a
 * packaged one: installing Debian's libpam-script, say, would also add it to
 * the system's common-* stacks.
 */
function buildStoreModule(dir) {
  const output = join(dir, 'pam_gatehouse_demo_store.so');
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', '-o', output, join(here, 'pam_gatehouse_demo_store.c'), '-lpam'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return output;
}

/** libnss_wrapper.so (libnss-wrapper), or undefined when it is not installed. */
function nssWrapperLibrary() {
  return [`/usr/lib/${arch}/libnss_wrapper.so`, '/usr/lib64/libnss_wrapper.so', '/usr/lib/libnss_wrapper.so'].find((p) => existsSync(p));
}

/**
 * passwd and group files for nss_wrapper: the account running the demo (so that
 * it still knows itself), then the demo users as that same account (as root:
 * as nobody), each with a home in the state directory.
 */
function nssFiles(dir) {
  const uid = process.getuid();
  const gid = process.getgid();
  const asUid = uid === 0 ? 65534 : uid;
  const asGid = uid === 0 ? 65534 : gid;
  let self = '';
  try {
    self = execFileSync('getent', ['passwd', String(uid)], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    self = '';
  }
  const homes = join(dir, 'home');
  mkdirSync(homes, { mode: 0o755 });
  chmodSync(homes, 0o755);
  const lines = self === '' ? [] : [self];
  for (const u of DEMO_USERS) {
    const home = join(homes, u.name);
    mkdirSync(home, { mode: 0o755 });
    chmodSync(home, 0o755);
    lines.push(`${u.name}:x:${asUid}:${asGid}:${u.displayName}:${home}:/bin/sh`);
  }
  let selfGroup = '';
  try {
    selfGroup = execFileSync('getent', ['group', String(asGid)], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    selfGroup = `gatehouse-demo:x:${asGid}:`;
  }
  return { passwd: lines.join('\n') + '\n', group: selfGroup + '\n' };
}

/**
 * Writes a fresh demo state directory: passdb, expired-users, users.oath, nss_wrapper's passwd and group, the
 * confdir (gatehouse-demo and a deny-all `other`) and config.json.
 */
function createDemoStack({ baseDir = tmpdir() } = {}) {
  const { security, matrix } = demoModulePaths();
  const dir = mkdtempSync(join(baseDir, 'gatehouse-demo-'));
  chmodSync(dir, 0o711);
  const write = (name, text, mode = 0o600) => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
    return file;
  };
  // pam_matrix dereferences NULL on a blank or short line: every line is complete.
  const passdb = DEMO_USERS.map((u) => `${u.name}:${u.password}:${DEMO_SERVICE}`).join('\n') + '\n';
  write('passdb', passdb);
  write('expired-users', 'bob\n');
  write('users.oath', DEMO_USERS.filter((u) => u.totp).map((u) => `HOTP/T30/6 ${u.name} - ${DEMO_TOTP_KEY}\n`).join(''));
  const nss = nssFiles(dir);
  const passwdFile = write('passwd', nss.passwd, 0o644);
  const groupFile = write('group', nss.group, 0o644);

  const store = buildStoreModule(dir);
  const confDir = join(dir, 'pam.d');
  mkdirSync(confDir, { mode: 0o755 });
  const template = readFileSync(join(here, 'gatehouse-demo.pam'), 'utf8');
  const service = template
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) =>
      line
        .replaceAll('@MATRIX@', matrix)
        .replaceAll('@SECURITY@', security)
        .replaceAll('@STATE@', dir)
        .replaceAll('@STORE@', store)
        .replaceAll('@MINLEN@', String(DEMO_MIN_LENGTH)),
    )
    .join('\n');
  writeFileSync(join(confDir, DEMO_SERVICE), service + '\n', { mode: 0o644 });
  writeFileSync(
    join(confDir, 'other'),
    ['auth', 'account', 'password', 'session'].map((type) => `${type} required ${join(security, 'pam_deny.so')}`).join('\n') + '\n',
    { mode: 0o644 },
  );

  // The power actions only say what they would do.
  const pretend = (what) => ['/bin/sh', '-c', `echo "demo: the computer would ${what} now" >&2`];
  const config = {
    services: { login: DEMO_SERVICE, unlock: DEMO_SERVICE, elevate: DEMO_SERVICE },
    confDir,
    users: { source: 'list', users: DEMO_USERS.map((u) => ({ name: u.name, displayName: u.displayName })) },
    login: { sessions: [{ id: 'demo', name: 'Demo session', argv: ['/bin/sh', join(here, 'session.sh'), String(DEMO_SESSION_SECONDS)] }] },
    elevate: { adminGroup: null, action: 'Change the demo settings', program: 'Gatehouse demo' },
    power: { allowed: ['poweroff', 'reboot'], commands: { poweroff: pretend('power off'), reboot: pretend('restart') } },
    // The demo's lockout tallies live and go with the demo, not in the machine's state directory.
    lockout: { stateDir: join(dir, 'state') },
  };
  const configPath = write('config.json', JSON.stringify(config, null, 2) + '\n');

  // What a process running the demo needs in its environment: the demo users in NSS.
  const library = nssWrapperLibrary();
  const env = library === undefined ? {} : { LD_PRELOAD: library, NSS_WRAPPER_PASSWD: passwdFile, NSS_WRAPPER_GROUP: groupFile };

  return {
    dir,
    confDir,
    service: DEMO_SERVICE,
    configPath,
    users: DEMO_USERS,
    env,
    sessionsWork: library !== undefined,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

exports.DEMO_SERVICE = DEMO_SERVICE;
exports.DEMO_TOTP_KEY = DEMO_TOTP_KEY;
exports.DEMO_MIN_LENGTH = DEMO_MIN_LENGTH;
exports.DEMO_SESSION_SECONDS = DEMO_SESSION_SECONDS;
exports.DEMO_USERS = DEMO_USERS;
exports.demoModulePaths = demoModulePaths;
exports.createDemoStack = createDemoStack;
