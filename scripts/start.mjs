#!/usr/bin/env node
// `npm start`: builds what changed, then shows Gatehouse on the embedded demo PAM
// stack (demo/): the greeter with every demo user (signing in starts a short demo
// session), the lock screen and the privilege prompt, all at once in a browser
// through `gatehouse serve`; or, where Electron's binary is installed and a
// display is there, the greeter in Electron. Nothing of the system's PAM is used.
//
//   npm start                      greeter, lock screen and privilege prompt (browser)
//   npm start -- --user bob        lock screen and prompt for bob (alice by default)
//   npm start -- --mode unlock     only one of them (login, unlock, elevate)
//   npm start -- --serve           the browser even where Electron is installed
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDemoStack, DEMO_SESSION_SECONDS, DEMO_USERS } from '../demo/demo-stack.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const MODES = ['login', 'unlock', 'elevate'];

function usage(message) {
  console.error(`npm start: ${message}\nusage: npm start -- [--user alice|bob|carol] [--mode login|unlock|elevate] [--serve]`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: { user: { type: 'string', default: 'alice' }, mode: { type: 'string' }, serve: { type: 'boolean' } },
    strict: true,
  }));
} catch (error) {
  usage(error.message);
}
if (!DEMO_USERS.some((u) => u.name === values.user)) usage(`--user must be one of ${DEMO_USERS.map((u) => u.name).join(', ')}`);
if (values.mode !== undefined && !MODES.includes(values.mode)) usage(`--mode must be one of ${MODES.join(', ')}`);

// Only what changed since the last build (the first start builds everything).
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--changed'], { stdio: 'inherit', cwd: root });

const relaunchModule = join(root, 'dist', 'main', 'launch', 'relaunch.js');
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
const demoEnv = { ...process.env, ...stack.env };

const width = Math.max(...DEMO_USERS.map((u) => u.name.length));
console.log(`\nGatehouse demo, on the demo PAM stack in ${stack.dir}`);
console.log('(pam_matrix, pam_pwquality, pam_oath and friends through a private confdir; the system PAM is untouched)\n');
console.log('Demo users:');
for (const u of DEMO_USERS) console.log(`  ${u.name.padEnd(width)}  password ${u.password.padEnd(12)} ${u.note}`);
if (!stack.sessionsWork) console.log('\n(libnss-wrapper is not installed: signing in works, but the demo session cannot start)');
console.log('');

const argsFor = (mode) => ['--mode', mode, '--config', stack.configPath, ...(mode === 'login' ? [] : ['--user', values.user])];
// The demo shows the UI; it does not lock your session (`gatehouse lock` does,
// under gatehouse-guard): no guard here, and no grab of your keyboard.
const electronArgsFor = (mode) => [...argsFor(mode), ...(mode === 'unlock' ? ['--no-guard'] : [])];

const WHAT = {
  login: `Greeter: click a user (or type a name), then the password; the demo session runs for ${DEMO_SESSION_SECONDS} s.`,
  unlock: `Lock screen of ${values.user}: type the password (reload the page to lock again).`,
  elevate: `Privilege prompt: ${values.user} confirms "Change the demo settings" (reload to be asked again).`,
};

const children = new Set();
function stopAll(signal) {
  for (const child of children) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal));

/** Exits once every child has ended, with the first failure's status. */
function supervise(child, name) {
  children.add(child);
  child.on('error', (error) => {
    console.error(`npm start: ${name}: ${error.message}`);
    stopAll('SIGTERM');
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (code !== 0 && code !== null && signal === null) {
      process.exitCode ??= code;
      stopAll('SIGTERM');
    }
    if (children.size === 0) {
      cleanUp();
      process.exit(process.exitCode ?? (signal === 'SIGINT' ? 130 : 0));
    }
  });
}

function startElectron(binary, mode) {
  console.log(`Starting Electron: ${WHAT[mode]}`);
  console.log('It covers every display; Ctrl+C here stops it.');
  const child = spawn(binary, electronArguments(electronArgsFor(mode), root, process.getuid?.() === 0), { stdio: 'inherit', env: demoEnv });
  supervise(child, 'electron');
}

/** One `gatehouse serve` per mode; their URLs are printed together once all listen. */
function startServes(modes) {
  const urls = new Map();
  for (const mode of modes) {
    const child = spawn(process.execPath, [cli, 'serve', ...argsFor(mode)], { stdio: ['ignore', 'pipe', 'inherit'], env: demoEnv });
    supervise(child, `serve --mode ${mode}`);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
      if (message?.event === 'listening') {
        urls.set(mode, message.url);
        if (urls.size === modes.length) printUrls(modes, urls);
      } else if (message?.event === 'outcome') {
        const how = message.ok ? 'success' : `failed (${message.code ?? 'no code'})`;
        console.log(`${mode}: flow ended for ${message.user ?? 'nobody'}: ${how}`);
      } else {
        console.log(line);
      }
    });
  }
}

function printUrls(modes, urls) {
  console.log(`\nOpen ${modes.length === 1 ? 'this address' : 'these addresses'} in a browser (Ctrl+C here stops the demo):\n`);
  for (const mode of modes) console.log(`  ${WHAT[mode]}\n    ${urls.get(mode)}\n`);
  // One-time links: the first browser to open one gets a session cookie
  // (HttpOnly) and is sent on to the page at once; the link is then spent, so a
  // copy left in a terminal, a history or a command line opens nothing. Only
  // this user's browser may connect at all.
  console.log('Each link works once: the browser that opens it stays in (reloads included). For another browser, start the demo again.\n');
}

const modes = values.mode === undefined ? MODES : [values.mode];
const binary = findElectronBinary();
if (values.serve) {
  startServes(modes);
} else if (!binary.found) {
  console.log(`Electron cannot run here: ${binary.reason}`);
  console.log(`${ELECTRON_HELP}\nShowing the same screens in a browser instead.\n`);
  startServes(modes);
} else {
  const noDisplay = missingDisplay();
  if (noDisplay !== undefined) {
    console.log(`Electron cannot run here: ${noDisplay}\nShowing the same screens in a browser instead.\n`);
    startServes(modes);
  } else {
    // Electron shows one screen at a time over every display: the greeter, unless asked.
    startElectron(binary.path, values.mode ?? 'login');
  }
}
