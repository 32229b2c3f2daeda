// The embedded demo PAM stack behind `npm start`: pam_matrix users, one whose
// password has expired and one with a second factor, in a fresh state directory
// (pam_matrix and pam_oath rewrite their files) with its own confdir and config.
// Nothing of the system's PAM configuration is used or changed.
// CommonJS, so that plain Node (scripts/start.mjs), vitest and Playwright all load it as is.
'use strict';
const { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const here = __dirname;

const DEMO_SERVICE = 'gatehouse-demo';

/** The RFC 4226/6238 test key ("12345678901234567890"): a demo secret, never a real one. */
const DEMO_TOTP_KEY = '3132333435363738393031323334353637383930';

const DEMO_USERS = [
  { name: 'alice', password: 'alice-demo', displayName: 'Alice', note: 'password only' },
  { name: 'bob', password: 'bob-demo', displayName: 'Bob', note: 'expired password: must choose a new one' },
  {
    name: 'carol',
    password: 'carol-demo',
    displayName: 'Carol',
    note: `password, then a one-time code: oathtool --totp ${DEMO_TOTP_KEY}`,
    totp: true,
  },
];

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
 * Writes a fresh demo state directory: passdb, expired-users, users.oath, the
 * confdir (gatehouse-demo and a deny-all `other`) and config.json.
 */
function createDemoStack({ baseDir = tmpdir() } = {}) {
  const { security, matrix } = demoModulePaths();
  const dir = mkdtempSync(join(baseDir, 'gatehouse-demo-'));
  chmodSync(dir, 0o700);
  const write = (name, text, mode = 0o600) => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
    return file;
  };
  // pam_matrix dereferences NULL on a blank or short line: every line is complete.
  write('passdb', DEMO_USERS.map((u) => `${u.name}:${u.password}:${DEMO_SERVICE}`).join('\n') + '\n');
  write('expired-users', 'bob\n');
  write('users.oath', DEMO_USERS.filter((u) => u.totp).map((u) => `HOTP/T30/6 ${u.name} - ${DEMO_TOTP_KEY}\n`).join(''));

  const confDir = join(dir, 'pam.d');
  mkdirSync(confDir, { mode: 0o755 });
  const template = readFileSync(join(here, 'gatehouse-demo.pam'), 'utf8');
  const service = template
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) =>
      line.replaceAll('@MATRIX@', matrix).replaceAll('@SECURITY@', security).replaceAll('@STATE@', dir).replaceAll('@DEMO@', here),
    )
    .join('\n');
  writeFileSync(join(confDir, DEMO_SERVICE), service + '\n', { mode: 0o644 });
  writeFileSync(
    join(confDir, 'other'),
    ['auth', 'account', 'password', 'session'].map((type) => `${type} required ${join(security, 'pam_deny.so')}`).join('\n') + '\n',
    { mode: 0o644 },
  );

  const config = {
    services: { login: DEMO_SERVICE, unlock: DEMO_SERVICE, elevate: DEMO_SERVICE },
    confDir,
    users: { source: 'list', users: DEMO_USERS.map((u) => ({ name: u.name, displayName: u.displayName })) },
    // The demo users exist only in pam_matrix: a login session cannot start for them.
    login: { sessions: [{ id: 'demo', name: 'Demo session', argv: ['/bin/true'] }] },
    elevate: { adminGroup: null, action: 'Change the demo settings', program: 'Gatehouse demo' },
  };
  const configPath = write('config.json', JSON.stringify(config, null, 2) + '\n');

  return {
    dir,
    confDir,
    service: DEMO_SERVICE,
    configPath,
    users: DEMO_USERS,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

exports.DEMO_SERVICE = DEMO_SERVICE;
exports.DEMO_TOTP_KEY = DEMO_TOTP_KEY;
exports.DEMO_USERS = DEMO_USERS;
exports.demoModulePaths = demoModulePaths;
exports.createDemoStack = createDemoStack;
