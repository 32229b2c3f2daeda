#!/usr/bin/env node
// `npm run package`: the Debian package of Gatehouse, dist/packages/gatehouse_<version>_<arch>.deb.
//
//   node scripts/package.mjs [--electron-dist DIR] [--stand-in]
//
// 1. The Electron application directory, by electron-builder (build/electron-builder.yml,
//    `dir` target) around the Electron dist: --electron-dist, $ELECTRON_OVERRIDE_DIST_PATH,
//    or node_modules/electron/dist. With none of them (or --stand-in), around a stand-in
//    that runs only the terminal commands (build/electron-stand-in/), and it says so.
// 2. The deb, from build/deb/manifest, by dpkg-deb (scripts/package/deb.mjs).
//
// No download: electron-builder gets its Electron from electronDist, and dpkg-deb is Debian's.
// Run `npm run build` first (npm run package does).
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAppDir } from './package/app-dir.mjs';
import { buildDeb } from './package/deb.mjs';
import { findElectronDist, makeStandIn } from './package/electron-dist.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'artifacts', 'package');

const { values } = parseArgs({ options: { 'electron-dist': { type: 'string' }, 'stand-in': { type: 'boolean' } } });

const needed = ['dist/main/hosts/electron/main.js', 'dist/main/cli.js', 'dist/renderer/index.html', 'dist/electron/preload.js', 'native/build/Release/gatehouse_pam.node'];
const missing = needed.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`package: not built (${missing.join(', ')} missing): run npm run build first`);
  process.exit(1);
}

let electronDist;
let standIn = values['stand-in'] === true;
if (!standIn) {
  const found = findElectronDist(root, values['electron-dist']);
  if ('missing' in found) {
    if (values['electron-dist'] !== undefined) {
      console.error(`package: ${found.missing}`);
      process.exit(1);
    }
    console.log(`package: ${found.missing}`);
    standIn = true;
  } else {
    electronDist = found.dir;
    console.log(`package: Electron from ${found.source} (${found.dir})`);
  }
}
if (standIn) {
  electronDist = makeStandIn(root, join(work, 'electron-stand-in'));
  console.log(
    'package: building with the STAND-IN for Electron: the package installs and runs the terminal\n' +
      'package: commands (check, serve, --version, --help), not the app. For the real package, give an\n' +
      'package: unpacked Electron: npm run package -- --electron-dist DIR (or ELECTRON_OVERRIDE_DIST_PATH).',
  );
}

// electron-builder's names for Node's architectures.
const arch = { x64: 'x64', arm64: 'arm64', arm: 'armv7l', ia32: 'ia32' }[process.arch] ?? process.arch;
const builderOut = join(work, 'builder');
rmSync(builderOut, { recursive: true, force: true });
const appDir = await buildAppDir(root, { electronDist, output: builderOut, arch });
const deb = buildDeb(root, { appDir, standIn, stage: join(work, 'root'), outDir: join(root, 'dist', 'packages') });
console.log(`package: ${relative(root, deb)}${standIn ? ' (with the Electron stand-in)' : ''}`);
console.log('package: AppImage not built: its tools (appimagetool, the AppImage runtime) are not in Debian and electron-builder downloads them.');
