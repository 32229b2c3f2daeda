// The stand-in for Electron's binary, for packages built where no Electron dist
// exists (CI: the npm registry has the electron package, but not its binary).
// scripts/package/electron-dist.mjs puts this file at resources/stand-in/launch.js
// of the stand-in dist, beside an `electron` shell script that runs it with the
// system's Node.js; electron-builder then packs the app around it as it would
// around Electron.
//
// It runs what needs no Chromium: the terminal commands of the packaged app
// (check, serve, --version, --help), from the same app.asar and the same
// app.asar.unpacked addon Electron would load. The app's Electron commands (the
// windows: app, lock, askpass) say that this package has no Electron, and exit 3.
//
// Node cannot read an asar archive: the archive is unpacked into a private
// temporary directory named app.asar (beside a link app.asar.unpacked, so the
// addon is found exactly as in Electron) and removed when the command ends.
// (The engine daemon needs no stand-in: /usr/libexec/gatehouse/gatehouse-engine
// runs the unpacked code in Node, in any package.)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const resources = path.join(__dirname, '..');

/** The archive's header (the file tree) and where the file contents start. */
function readArchive(file) {
  const fd = fs.openSync(file, 'r');
  try {
    // A pickle with the header's size, then the header: a pickle holding one string (JSON).
    const sizes = Buffer.alloc(8);
    fs.readSync(fd, sizes, 0, 8, 0);
    const headerSize = sizes.readUInt32LE(4);
    const header = Buffer.alloc(headerSize);
    fs.readSync(fd, header, 0, headerSize, 8);
    const jsonLength = header.readInt32LE(4);
    return { tree: JSON.parse(header.toString('utf8', 8, 8 + jsonLength)), dataStart: 8 + headerSize };
  } finally {
    fs.closeSync(fd);
  }
}

function safeName(name) {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new Error(`app.asar: refusing the entry name ${JSON.stringify(name.slice(0, 64))}`);
  }
  return name;
}

/**
 * Writes the archive's files below `dest`. Files the archive keeps unpacked
 * (app.asar.unpacked: the addon, and the code the engine daemon runs in plain
 * Node) are copied from there, as Electron shows them at their place in the archive.
 */
function extract(archive, dest) {
  const { tree, dataStart } = readArchive(archive);
  const unpackedRoot = `${archive}.unpacked`;
  const fd = fs.openSync(archive, 'r');
  try {
    const walk = (node, dir, relative) => {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const [name, entry] of Object.entries(node.files)) {
        const target = path.join(dir, safeName(name));
        const inArchive = path.join(relative, name);
        if (entry.files !== undefined) {
          walk(entry, target, inArchive);
        } else if (entry.link !== undefined) {
          fs.symlinkSync(entry.link, target);
        } else if (entry.unpacked) {
          fs.copyFileSync(path.join(unpackedRoot, inArchive), target);
          fs.chmodSync(target, entry.executable ? 0o700 : 0o600);
        } else {
          const content = Buffer.alloc(entry.size);
          if (entry.size > 0) fs.readSync(fd, content, 0, entry.size, dataStart + Number(entry.offset));
          fs.writeFileSync(target, content, { mode: entry.executable ? 0o700 : 0o600 });
        }
      }
    };
    walk(tree, dest, '');
  } finally {
    fs.closeSync(fd);
  }
}

function start() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-stand-in-'));
  process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
  const app = path.join(work, 'app.asar');
  extract(path.join(resources, 'app.asar'), app);
  fs.symlinkSync(path.join(resources, 'app.asar.unpacked'), path.join(work, 'app.asar.unpacked'));

  const { gatehouseArguments } = require(path.join(app, 'dist/main/launch/command-line.js'));
  const { isElectronCommandLine } = require(path.join(app, 'dist/main/launch/relaunch.js'));
  // As in Electron: runtime switches (--headless, --no-sandbox) before Gatehouse's arguments are dropped.
  const args = gatehouseArguments([process.argv[1], ...process.argv.slice(2)], false);
  if (isElectronCommandLine(args) && !args.includes('--help') && !args.includes('-h')) {
    process.stderr.write(
      'gatehouse: this package was built with a stand-in for Electron (no Electron dist at build time):\n' +
        'only the terminal commands run (check, serve, --version, --help). Build it with Electron for the app.\n',
    );
    process.exit(3);
  }
  const { main } = require(path.join(app, 'dist/main/cli.js'));
  main(args).then(
    (status) => process.exit(status),
    (error) => {
      process.stderr.write(`gatehouse: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(70);
    },
  );
}

start();
