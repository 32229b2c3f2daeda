// The Electron app's entry (package.json "main"): reads the command line, then
// runs the shell (login, unlock, elevate), the askpass prompt, the locker, or a
// command of the terminal and browser hosts. See command-line.ts for the usage.
import { app } from 'electron';
import { makeProcessUndumpable } from '../../../native';
import { describeError, stderrSink, makeLog } from '../../auth/log';
import { main as cliMain } from '../../cli';
import { builtFiles } from './app-origin';
import { createShellSession, debugSwitchRefusal, exitApp, installProcessGuards, isProductionBuild, prepareApp } from './app-runtime';
import { UsageError, gatehouseArguments, parseCommandLine, type ShellCommand } from './command-line';
import { EXIT, exitCodeForSignal } from './exit-codes';
import type { GuardedShell } from './guarded-shell';
import { claimLockInstance, runLock } from './lock/run-lock';
import { runPolkitAgentApp } from './polkit-agent';
import type { PolkitAgentCommand } from '../../polkit/agent-command';
import { askpassShell, pamShell, pamShellOptions, type ShellRuntime } from './shells';

const log = makeLog(stderrSink, Date.now);

function fail(error: unknown): void {
  if (error instanceof UsageError) {
    process.stderr.write(`gatehouse: ${error.message}\n(see gatehouse --help)\n`);
    exitApp(EXIT.usage);
    return;
  }
  // Named, not quoted: an unexpected error's message may hold anything, an answer too.
  process.stderr.write(`gatehouse: ${describeError(error)}\n`);
  exitApp(EXIT.failure);
}

async function runtime(production: boolean): Promise<ShellRuntime> {
  await app.whenReady();
  const files = builtFiles();
  return { session: createShellSession(files, production), files, production, log };
}

/**
 * The login screen's start-up check, before the app waits for a display: an
 * invalid configuration or no session to offer ends it with a line saying why
 * (on stderr: the journal, and the console with the greeter units) and the
 * status systemd does not restart on. Other modes report such problems as usage errors.
 */
function loginPreflight(command: ShellCommand): boolean {
  if (command.kind !== 'app' || command.mode !== 'login') return true;
  try {
    pamShellOptions('login', command.config);
    return true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gatehouse: the login screen cannot start: ${error.message}\n`);
    exitApp(EXIT.cannotStart);
    return false;
  }
}

/** login, unlock, elevate, askpass: one shell, then exit with its status. */
async function runShell(command: Extract<ShellCommand, { kind: 'app' | 'askpass' }>, production: boolean): Promise<void> {
  // Configuration first: a shell that cannot start says so without waiting for a display.
  const engineOptions = command.kind === 'app' ? pamShellOptions(command.mode, command.config) : undefined;
  let shell: GuardedShell | undefined;
  // Before the shell exists there is nothing to protect: a signal simply ends the process.
  installProcessGuards({
    mayQuit: () => shell?.mayQuit() ?? true,
    onSignal: (signal) => {
      if (shell === undefined) exitApp(exitCodeForSignal(signal));
      else shell.signalled(signal);
    },
  });
  const shellRuntime = await runtime(production);
  shell =
    command.kind === 'app'
      ? pamShell(command.mode, engineOptions!, shellRuntime)
      : askpassShell(command.prompt, command.config, shellRuntime);
  shell.start();
  exitApp(await shell.finished);
}

/** `gatehouse polkit-agent`: registers with polkitd and shows each request in a shell of its own. */
function installPolkitAgent(command: PolkitAgentCommand, production: boolean): void {
  runtime(production)
    .then((shellRuntime) => runPolkitAgentApp(command, shellRuntime, (code) => exitApp(code)))
    .catch(fail);
}

function start(): void {
  // Every command of the app may see an answer (the shells, askpass, check and
  // serve run in this process): no core dump, no ptrace by its own user.
  makeProcessUndumpable();
  let command: ShellCommand;
  try {
    command = parseCommandLine(gatehouseArguments(process.argv, process.defaultApp === true));
  } catch (error) {
    fail(error);
    return;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      exitApp(EXIT.ok);
      return;
    case 'cli':
      // check and serve run in this process as they would under Node.
      cliMain(command.args).then(exitApp, fail);
      return;
    default:
      break;
  }
  if (!loginPreflight(command)) return;
  const production = isProductionBuild();
  const refusal = debugSwitchRefusal(production);
  if (refusal !== undefined) {
    fail(new UsageError(refusal));
    return;
  }
  prepareApp(production);
  if (command.kind === 'polkit-agent') {
    const agentCommand = command.command;
    installPolkitAgent(agentCommand, production);
    return;
  }
  if (command.kind === 'lock') {
    if (!claimLockInstance(command.trigger)) {
      // A watcher of this user runs: it got the request (and locks if asked to).
      exitApp(EXIT.ok);
      return;
    }
    runtime(production)
      .then((shellRuntime) => runLock(command.trigger, command.config, shellRuntime, (code) => exitApp(code)))
      .catch(fail);
    return;
  }
  runShell(command, production).catch(fail);
}

start();
