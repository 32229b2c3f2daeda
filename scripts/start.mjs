#!/usr/bin/env node
// `npm start` (after the build): Gatehouse in unlock mode on the embedded demo PAM
// stack (demo/), in Electron where its binary is installed, otherwise the same UI
// in a browser through `gatehouse serve`. Nothing of the system's PAM is used.
//
//   npm start                      unlock as alice
//   npm start -- --user bob        bob's password has expired
//   npm start -- --user carol      carol needs a one-time code too
//   npm start -- --mode elevate    the "confirm it's you" prompt
//   npm start -- --serve           the browser host even where Electron is installed
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDemoStack, DEMO_USERS } from '../demo/demo-stack.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function usage(message) {
  console.error(`npm start: ${message}\nusage: npm start -- [--user alice|bob|carol] [--mode unlock|elevate] [--serve]`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: { user: { type: 'string', default: 'alice' }, mode: { type: 'string', default: 'unlock' }, serve: { type: 'boolean' } },
    strict: true,
  }));
} catch (error) {
  usage(error.message);
}
if (!DEMO_USERS.some((u) => u.name === values.user)) usage(`--user must be one of ${DEMO_USERS.map((u) => u.name).join(', ')}`);
if (!['unlock', 'elevate'].includes(values.mode)) usage('--mode must be unlock or elevate (the demo users cannot start a login session)');

const relaunchModule = join(root, 'dist', 'main', 'hosts', 'electron', 'relaunch.js');
const cli = join(root, 'dist', 'main', 'cli.js');
for (const built of [relaunchModule, cli]) {
  if (!existsSync(built)) {
    console.error(`npm start: ${built} is not built; run npm run build`);
    process.exit(1);
  }
}
const { ELECTRON_HELP, electronArguments, findElectronBinary, missingDisplay } = require(relaunchModule);

const stack = createDemoStack();
let cleanedUp = false;
const cleanUp = () => {
  if (cleanedUp) return;
  cleanedUp = true;
  stack.remove();
};
process.on('exit', cleanUp);

const width = Math.max(...DEMO_USERS.map((u) => u.name.length));
console.log(`Gatehouse demo: ${values.mode} mode as ${values.user}, on the demo PAM stack in ${stack.dir}`);
console.log('(pam_matrix, pam_oath, pam_listfile, pam_debug and pam_exec through a private confdir; the system PAM is untouched)\n');
console.log('Demo users (npm start -- --user NAME):');
for (const u of DEMO_USERS) console.log(`  ${u.name.padEnd(width)}  password ${u.password.padEnd(12)} ${u.note}`);
console.log('');

const gatehouseArgs = ['--mode', values.mode, '--config', stack.configPath, '--user', values.user];
// The demo shows the UI; it does not lock your session (`gatehouse lock` does,
// under gatehouse-guard): no guard here, and no grab of your keyboard.
const appArgs = [...gatehouseArgs, ...(values.mode === 'unlock' ? ['--no-guard'] : [])];

/** Runs a child until it ends (or we are told to stop), then exits with its status. */
function supervise(child) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    cleanUp();
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 143));
  });
}

function startElectron(binary) {
  console.log('Starting Electron (the unlock screen covers every display; it ends only after a successful unlock).');
  const child = spawn(binary, electronArguments(appArgs, root, process.getuid?.() === 0), { stdio: 'inherit' });
  supervise(child);
}

function startServe(reason) {
  if (reason !== undefined) {
    console.log(`Electron cannot run here: ${reason}`);
    console.log(`${ELECTRON_HELP}\n`);
  }
  console.log(`Starting gatehouse serve ${gatehouseArgs.join(' ')}`);
  const child = spawn(process.execPath, [cli, 'serve', ...gatehouseArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    if (message?.event === 'listening') {
      console.log(`\nOpen this URL in a browser (Ctrl+C stops the demo):\n\n  ${message.url}\n`);
    } else if (message?.event === 'outcome') {
      console.log(`flow ended: ${message.ok ? 'success' : `failed (${message.code ?? 'no code'})`}${message.reason ? `: ${message.reason}` : ''}`);
    } else {
      console.log(line);
    }
  });
  supervise(child);
}

const binary = findElectronBinary();
if (values.serve) startServe(undefined);
else if (!binary.found) startServe(binary.reason);
else {
  const noDisplay = missingDisplay();
  if (noDisplay !== undefined) startServe(noDisplay);
  else startElectron(binary.path);
}
