// The Electron dist electron-builder packs the app around: a real one where it
// exists, else a stand-in (build/electron-stand-in/launch.js) that lets the rest
// of the pipeline (app.asar, fuses, the deb, its installation) run and be tested
// on a machine without Electron's binary.
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// @electron/fuses finds the fuse wire after this sentinel: version 1, 8 fuses,
// each '0' (off) or '1' (on). Electron's own defaults, flipped by electron-builder
// as build/electron-builder.yml says, exactly as in the real binary.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_FUSES = '10110001';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A real Electron dist: `explicit` (--electron-dist), else $ELECTRON_OVERRIDE_DIST_PATH,
 * else node_modules/electron/dist when the electron package installed its binary.
 * Returns { dir, source } or { missing: reason }.
 */
export function findElectronDist(root, explicit, env = process.env) {
  const candidate =
    explicit !== undefined
      ? { dir: resolve(explicit), source: '--electron-dist' }
      : env.ELECTRON_OVERRIDE_DIST_PATH
        ? { dir: resolve(env.ELECTRON_OVERRIDE_DIST_PATH), source: 'ELECTRON_OVERRIDE_DIST_PATH' }
        : { dir: join(root, 'node_modules', 'electron', 'dist'), source: 'node_modules/electron' };
  if (isExecutable(join(candidate.dir, 'electron'))) return candidate;
  return { missing: `${candidate.source}: no Electron binary at ${join(candidate.dir, 'electron')}` };
}

/** Writes the stand-in dist into `dir` (emptied first) and returns it. */
export function makeStandIn(root, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources', 'stand-in'), { recursive: true });
  copyFileSync(join(root, 'build', 'electron-stand-in', 'launch.js'), join(dir, 'resources', 'stand-in', 'launch.js'));
  const electron = join(dir, 'electron');
  const script = [
    '#!/bin/sh',
    '# A stand-in for the Electron binary (Gatehouse built without an Electron dist):',
    "# runs the app's terminal commands with the system's Node.js.",
    `# fuse wire: ${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_FUSES}`,
    'here=$(dirname "$(readlink -f "$0")")',
    'exec node "$here/resources/stand-in/launch.js" "$@"',
    '',
  ].join('\n');
  writeFileSync(electron, script);
  chmodSync(electron, 0o755);
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  writeFileSync(join(dir, 'version'), `${version}\n`);
  return dir;
}
