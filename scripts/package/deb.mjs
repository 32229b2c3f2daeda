// The deb, from build/deb/manifest: a staging tree with every file at its TARGET
// and mode, DEBIAN/ (control, conffiles, md5sums, the maintainer scripts filled in
// from the manifest), then dpkg-deb. No fakeroot: --root-owner-group makes every
// file root's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { APP_TREE, conffiles, readManifest, sysusersAccounts, sysusersEntry, units } from './manifest.mjs';

// What Electron needs at run time on Debian (electron-builder's own list for its deb).
const ELECTRON_DEPENDS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];
// The engine daemon (gatehouse-engine.service) runs in the system's Node.js, never
// in Electron; the stand-in runs the app with it too.
const NODE_DEPENDS = ['nodejs (>= 20)'];
// The maintainer scripts: systemd-sysusers and systemctl (systemd), userdel (passwd);
// the PAM services include the common-* stacks (libpam-runtime).
const SYSTEM_DEPENDS = ['libpam-runtime', 'systemd', 'passwd'];

const TEMPLATE_DIR = join('build', 'deb');
const MAINTAINER_SCRIPTS = ['postinst', 'postrm'];

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

/** Debian's name for this machine's architecture. */
export function debArchitecture() {
  return run('dpkg', ['--print-architecture']).trim();
}

function walk(dir, visit) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    visit(path, stat);
    if (stat.isDirectory()) walk(path, visit);
  }
}

function isElf(path) {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
}

/**
 * The Electron application directory at /usr/lib/gatehouse: Electron's default
 * app dropped (the app is app.asar), modes made plain (0755 for programs, 0644
 * for the rest), and the addon stripped of its symbols. The helper programs
 * (resources/libexec) go to /usr/libexec/gatehouse by the manifest instead.
 */
function installAppTree(appDir, target) {
  cpSync(appDir, target, { recursive: true, verbatimSymlinks: true });
  rmSync(join(target, 'resources', 'default_app.asar'), { force: true });
  rmSync(join(target, 'resources', 'libexec'), { recursive: true, force: true });
  walk(target, (path, stat) => {
    if (stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      chmodSync(path, 0o755);
      return;
    }
    const executable = (stat.mode & 0o111) !== 0 && !path.endsWith('.so') && !/\.so\.\d+$/.test(path) && !path.endsWith('.node');
    chmodSync(path, executable ? 0o755 : 0o644);
    if (path.endsWith('.node') && isElf(path)) {
      run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', path]);
    }
  });
}

function installFile(root, entry, stage) {
  const destination = join(stage, entry.target);
  mkdirSync(dirname(destination), { recursive: true });
  const source = join(root, entry.source);
  if (!statSync(source).isFile()) throw new Error(`${entry.source} (manifest line ${entry.line}) is not a file`);
  if (entry.target.endsWith('.gz') && !entry.source.endsWith('.gz')) {
    // gzip -9n: no name, no time stamp: the same input gives the same bytes.
    writeFileSync(destination, gzipSync(readFileSync(source), { level: 9 }));
  } else {
    copyFileSync(source, destination);
    // A program built here (dist/libexec) ships without its symbols.
    if (isElf(destination)) run('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', destination]);
  }
  chmodSync(destination, entry.mode);
}

/**
 * The library dependencies of the ELF files below `stage` (a package tree with
 * its DEBIAN/ directory, so that libraries the package brings itself, such as
 * Electron's, count as its own), by dpkg-shlibdeps.
 */
export function shlibDepends(stage) {
  const elves = [];
  walk(stage, (path, stat) => {
    if (stat.isFile() && !path.startsWith(join(stage, 'DEBIAN')) && isElf(path)) elves.push(path);
  });
  if (elves.length === 0) return [];
  // dpkg-shlibdeps wants a debian/control beside it, naming the binary package.
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-shlibdeps-'));
  try {
    mkdirSync(join(work, 'debian'));
    writeFileSync(join(work, 'debian', 'control'), 'Source: gatehouse\n\nPackage: gatehouse\nArchitecture: any\n');
    const out = run('dpkg-shlibdeps', ['--warnings=0', '-O', '-e', ...elves], { cwd: work });
    const value = /^shlibs:Depends=(.*)$/m.exec(out)?.[1] ?? '';
    return value === '' ? [] : value.split(/,\s*/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fill(template, values) {
  return template.replace(/@([A-Z_]+)@/g, (match, name) => {
    if (!(name in values)) throw new Error(`unknown placeholder ${match}`);
    return values[name];
  });
}

/**
 * Builds the deb into outDir; returns its path. `appDir` is electron-builder's
 * application directory; `standIn` says whether its Electron is the stand-in.
 */
export function buildDeb(root, { appDir, standIn, stage, outDir }) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const field of ['version', 'homepage', 'author']) {
    if (typeof pkg[field] !== 'string' || pkg[field] === '') throw new Error(`package.json: ${field} is needed for the deb`);
  }
  const changelog = readFileSync(join(root, TEMPLATE_DIR, 'changelog'), 'utf8');
  const changelogVersion = /^gatehouse \(([^)]+)\)/.exec(changelog)?.[1];
  if (changelogVersion !== pkg.version) {
    throw new Error(`build/deb/changelog starts at ${changelogVersion ?? 'nothing'}, package.json is at ${pkg.version}: add an entry`);
  }

  const entries = readManifest(root);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true, mode: 0o755 });
  for (const entry of entries) {
    if (entry.source === APP_TREE) installAppTree(appDir, join(stage, entry.target));
    else installFile(root, entry, stage);
  }
  // Every directory dpkg creates is 0755 (mkdirSync honours the umask).
  walk(stage, (path, stat) => {
    if (stat.isDirectory()) chmodSync(path, 0o755);
  });

  const arch = debArchitecture();
  let installedKiB = 0;
  const sums = [];
  walk(stage, (path, stat) => {
    if (stat.isFile()) {
      installedKiB += Math.ceil(stat.size / 1024);
      sums.push(`${createHash('md5').update(readFileSync(path)).digest('hex')}  ${relative(stage, path)}`);
    } else {
      installedKiB += 1;
    }
  });

  const debian = join(stage, 'DEBIAN');
  mkdirSync(debian, { mode: 0o755 });
  chmodSync(debian, 0o755);
  // (DEBIAN/ first: dpkg-shlibdeps finds the package's own tree by it.)
  const depends = [...new Set([...shlibDepends(stage), ...ELECTRON_DEPENDS, ...NODE_DEPENDS, ...SYSTEM_DEPENDS])];
  const control = fill(readFileSync(join(root, TEMPLATE_DIR, 'control'), 'utf8'), { DEPENDS: depends.join(', ') }).replace(
    /^Package: gatehouse\n/,
    `Package: gatehouse\nVersion: ${pkg.version}\nArchitecture: ${arch}\nMaintainer: ${pkg.author}\nInstalled-Size: ${installedKiB}\nHomepage: ${pkg.homepage}\n`,
  );
  writeFileSync(join(debian, 'control'), control);
  writeFileSync(join(debian, 'conffiles'), conffiles(entries).map((f) => `${f}\n`).join(''));
  writeFileSync(join(debian, 'md5sums'), `${sums.join('\n')}\n`);

  const sysusers = sysusersEntry(entries);
  const { system, user } = units(entries);
  const values = {
    SYSUSERS: sysusers === undefined ? '' : sysusers.target.split('/').pop(),
    ACCOUNTS: sysusers === undefined ? '' : sysusersAccounts(readFileSync(join(root, sysusers.source), 'utf8')).join(' '),
    SYSTEM_UNITS: system.join(' '),
    USER_UNITS: user.join(' '),
  };
  for (const script of MAINTAINER_SCRIPTS) {
    const text = fill(readFileSync(join(root, TEMPLATE_DIR, script), 'utf8'), values);
    writeFileSync(join(debian, script), text);
    chmodSync(join(debian, script), 0o755);
  }
  for (const file of ['control', 'conffiles', 'md5sums']) chmodSync(join(debian, file), 0o644);

  mkdirSync(outDir, { recursive: true });
  const deb = join(outDir, `gatehouse_${pkg.version}_${arch}.deb`);
  rmSync(deb, { force: true });
  run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  return deb;
}
