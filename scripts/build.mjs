#!/usr/bin/env node
// `npm run build`: the native addon, the native helper programs (the screen guard,
// guard/; the password change's pseudo-terminal, main/sources/passwd/: each a
// Makefile, into dist/libexec), the TypeScript of main/ and native/, the renderer,
// the Electron preload and pages.
// Each step is skipped when its inputs are absent; every step that runs must succeed.
//
//   node scripts/build.mjs [--changed] [STEP...]
//
// --changed (npm start): a step runs only when one of its input files is newer
// than what it built last time (a stamp under dist/.build/).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => {
  console.log(`build: ${[cmd, ...args].join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
};

// node-gyp builds against the running Node's headers; Debian's nodejs ships them in
// /usr/include/node, so no header download is needed.
function nodeGypArgs() {
  const prefix = dirname(dirname(process.execPath));
  const args = [];
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
    args.push(`--nodedir=${prefix}`);
  }
  return args;
}

const steps = {
  native() {
    run(process.execPath, ['native/scripts/gen-constants.mjs']);
    const native = join(root, 'native');
    if (!existsSync(join(native, 'build', 'Makefile'))) {
      run(bin('node-gyp'), ['configure', ...nodeGypArgs()], { cwd: native });
    }
    run(bin('node-gyp'), ['build', '-j', '2', ...nodeGypArgs()], { cwd: native });
  },
  // gatehouse-guard (C, libX11 + XRandR + X-Resource), gatehouse-passwd-pty, gatehouse-login-record and gatehouse-vt into dist/libexec/.
  libexec() {
    for (const dir of ['guard', join('main', 'sources', 'passwd'), join('main', 'sessions', 'records'), join('main', 'sessions', 'vt')]) {
      if (existsSync(join(root, dir, 'Makefile'))) run('make', ['-s', '-C', dir]);
    }
  },
  typescript() {
    run(bin('tsc'), ['-p', 'tsconfig.build.json']);
    // The `gatehouse` command runs straight from the tree, not only once npm links it.
    const cli = join(root, 'dist', 'main', 'cli.js');
    if (existsSync(cli)) chmodSync(cli, 0o755);
  },
  renderer() {
    if (!existsSync(join(root, 'renderer', 'vite.config.ts'))) return;
    run(bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  },
  // The Electron preload (one CommonJS file) and the cover and emergency pages.
  electron() {
    const bundle = join('main', 'hosts', 'electron', 'bundle.mjs');
    if (!existsSync(join(root, bundle))) return;
    run(process.execPath, [bundle]);
  },
};

// What each step reads (files and directories, relative to the root).
const inputs = {
  native: ['native/src', 'native/binding.gyp', 'native/scripts'],
  typescript: ['main', 'native/index.ts', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
  renderer: ['renderer', 'main/protocol'],
  electron: ['main/hosts/electron', 'main/protocol'],
};

/** The newest modification time under `paths` (ms; 0 when none exists). */
function newestInput(paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'build') visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

const stampOf = (name) => join(root, 'dist', '.build', `${name}.stamp`);

function upToDate(name) {
  try {
    return statSync(stampOf(name)).mtimeMs > newestInput(inputs[name] ?? []);
  } catch {
    return false;
  }
}

function stamp(name) {
  mkdirSync(dirname(stampOf(name)), { recursive: true });
  writeFileSync(stampOf(name), `${new Date().toISOString()}\n`);
}

const args = process.argv.slice(2);
const onlyChanged = args.includes('--changed');
const only = args.filter((a) => a !== '--changed');
for (const [name, step] of Object.entries(steps)) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (onlyChanged && upToDate(name)) {
    console.log(`build: ${name} is up to date`);
    continue;
  }
  step();
  stamp(name);
}
