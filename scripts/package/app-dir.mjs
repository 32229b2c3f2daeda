// The Electron application directory, by electron-builder (its `dir` target):
// Electron renamed to `gatehouse`, the fuses flipped, app.asar with the addon
// unpacked beside it. Nothing is downloaded: electronDist names the Electron to use.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const BUILDER_CONFIG = join('build', 'electron-builder.yml');

/** The production configuration, as electron-builder reads it. */
export function builderConfig(root) {
  const yaml = require('js-yaml');
  return yaml.load(readFileSync(join(root, BUILDER_CONFIG), 'utf8'));
}

/** Runs electron-builder; resolves to the unpacked application directory. */
export async function buildAppDir(root, { electronDist, output, arch }) {
  const builder = require('electron-builder');
  const config = builderConfig(root);
  await builder.build({
    projectDir: root,
    targets: builder.Platform.LINUX.createTarget('dir', builder.Arch[arch]),
    config: { ...config, electronDist, directories: { ...config.directories, output } },
    publish: 'never',
  });
  const unpacked = readdirSync(output).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
  if (unpacked === undefined || !existsSync(join(output, unpacked, 'resources', 'app.asar'))) {
    throw new Error(`electron-builder made no application directory with resources/app.asar in ${output}`);
  }
  return join(output, unpacked);
}
