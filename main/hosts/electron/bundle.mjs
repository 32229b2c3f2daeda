#!/usr/bin/env node
// Builds what the Electron host loads besides the compiled main-process code:
//   dist/electron/preload.js   the preload, one CommonJS file that requires only 'electron'
//   dist/electron/pages/       the cover and emergency pages
// Run after the TypeScript step (the protocol version is read from its output):
// `node main/hosts/electron/bundle.mjs` or `node scripts/build.mjs electron`.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const defaultRoot = join(here, '..', '..', '..');

/** The preload's only input from main/protocol is the version number; give it just that. */
function protocolVersionPlugin(version) {
  return {
    name: 'gatehouse-protocol-version',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /[\\/]protocol[\\/]messages$/ }, () => ({
        path: 'protocol-version',
        namespace: 'gatehouse-protocol',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'gatehouse-protocol' }, () => ({
        contents: `export const PROTOCOL_VERSION = ${JSON.stringify(version)};\n`,
        loader: 'js',
      }));
    },
  };
}

export async function bundleElectronAssets({ root = defaultRoot, outDir = join(root, 'dist', 'electron') } = {}) {
  const require = createRequire(import.meta.url);
  const compiledMessages = join(root, 'dist', 'main', 'protocol', 'messages.js');
  let version;
  try {
    version = require(compiledMessages).PROTOCOL_VERSION;
  } catch (error) {
    throw new Error(`electron bundle: ${relative(root, compiledMessages)} is not built (run the typescript step first)`, {
      cause: error,
    });
  }
  if (!Number.isInteger(version)) throw new Error('electron bundle: PROTOCOL_VERSION is not an integer');

  mkdirSync(outDir, { recursive: true });
  const preloadFile = join(outDir, 'preload.js');
  const result = await build({
    entryPoints: [join(root, 'main', 'hosts', 'electron', 'preload.ts')],
    outfile: preloadFile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    external: ['electron'],
    plugins: [protocolVersionPlugin(version)],
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // The preload runs in every conversation window with access to IPC: it must stay
  // our few lines, never a package pulled in by accident.
  const inputs = Object.keys(result.metafile.inputs);
  const foreign = inputs.filter((input) => input.includes('node_modules'));
  if (foreign.length > 0) throw new Error(`electron bundle: the preload pulls in packages: ${foreign.join(', ')}`);

  const pagesDir = join(outDir, 'pages');
  rmSync(pagesDir, { recursive: true, force: true });
  cpSync(join(root, 'main', 'hosts', 'electron', 'pages'), pagesDir, { recursive: true });
  return { preloadFile, pagesDir, inputs };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { preloadFile, pagesDir } = await bundleElectronAssets();
  console.log(`electron bundle: ${preloadFile}, ${pagesDir}`);
}
