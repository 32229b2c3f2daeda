// The Electron app: the shell (login, unlock, elevate), the askpass prompt, the
// locker and the polkit agent's windows. main/cli.ts, the one front door (the
// package's "main" too), starts it when it runs in Electron: `startApp` reads the
// command line (main/launch/command-line.ts) and runs the app's own commands here;
// every other command goes back to the front door's table (`runCommand`), so
// `gatehouse check` and `serve` run in the packaged app as they do under Node.
//
// On X11, unlock mode and `gatehouse lock` run under gatehouse-guard: this
// process starts the guard, which covers the screen and grabs the input, and the
// guard starts this app again as its UI child (GATEHOUSE_GUARD_FD set), which
// runs the PAM conversation in a window the guard shows (guard/, docs/electron.md).
import { closeSync } from 'node:fs';
import { app } from 'electron';
import { makeProcessUndumpable } from '../../../native';
import { describeError, stderrSink, makeLog } from '../../auth/log';
import { builtFiles } from './app-origin';
import { createShellSession, debugSwitchRefusal, exitApp, installProcessGuards, isProductionBuild, prepareApp } from './app-runtime';
import { UsageError, gatehouseArguments, parseCommandLine, type ShellCommand } from '../../launch/command-line';
import { EXIT, exitCodeForSignal } from '../../exit-codes';
import { childCommand, unlockArgumentsForLock } from './guard/child-command';
import { GuardChannel, guardFdOf } from './guard/guard-channel';
import { startGuardedLock } from './guard/guarded-lock';
import { GuardLink } from './guard/guard-link';
import { guardPath, lockSupport, sleepLockFdOf } from '../../lock/lock-support';
import type { GuardedShell } from './guarded-shell';
import { claimLockInstance, runLock } from './run-lock';
import { runPolkitAgentApp } from './polkit-agent';
import type { PolkitAgentCommand } from '../../polkit/agent-command';
import { describeFault, faultResponse, type ProcessRole } from './process-faults';
import { askpassShell, pamShell, pamShellEngine, type ShellRuntime } from './shells';

const log = makeLog(stderrSink, Date.now);

/** What this process is, for the fault policy (process-faults.ts). */
let role: ProcessRole = 'starting';
/** The shell a fault gives up on, and whose windows a lost GPU process affects. */
let currentShell: GuardedShell | undefined;

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

/** An uncaught exception or unhandled rejection never unlocks (process-faults.ts). */
function installFaultPolicy(): void {
  const onFault = (kind: 'uncaughtException' | 'unhandledRejection') => (reason: unknown) => {
    log({ ...describeFault(kind, reason), role });
    const response = faultResponse(role);
    if (response.action === 'exit') exitApp(response.exitCode);
    else if (response.action === 'give-up') {
      if (currentShell === undefined) exitApp(EXIT.fault);
      else currentShell.fault();
    }
  };
  process.on('uncaughtException', onFault('uncaughtException'));
  process.on('unhandledRejection', onFault('unhandledRejection'));
  // The GPU process dying can leave every window blank: handled like a renderer crash.
  app.on('child-process-gone', (_event, details) => {
    if (details.type === 'GPU' && details.reason !== 'clean-exit') currentShell?.gpuProcessGone(details.reason);
  });
}

async function runtime(production: boolean): Promise<ShellRuntime> {
  await app.whenReady();
  const files = builtFiles();
  return { session: createShellSession(files, production), files, production, log };
}

/** The guard binary of this installation. */
function guardHere(): string {
  return guardPath(app.getAppPath(), process.resourcesPath, app.isPackaged);
}

/** This app again, as the guard's UI child, with these Gatehouse arguments. */
function uiChild(gatehouseArgs: readonly string[]): string[] {
  return childCommand(process.argv, process.defaultApp === true, gatehouseArgs);
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
    pamShellEngine('login', command.config, command.engine);
    return true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gatehouse: the login screen cannot start: ${error.message}\n`);
    exitApp(EXIT.cannotStart);
    return false;
  }
}

/**
 * login, unlock, elevate, askpass: one shell, then exit with its status. With a
 * guard channel, this process is the guard's UI child: it tells the guard when the
 * user has unlocked, and ends when the guard goes.
 */
async function runShell(command: Extract<ShellCommand, { kind: 'app' | 'askpass' }>, production: boolean, guard?: GuardChannel): Promise<void> {
  // Configuration first: a shell that cannot start says so without waiting for a display.
  const engine = command.kind === 'app' ? pamShellEngine(command.mode, command.config, command.engine) : undefined;
  let shell: GuardedShell | undefined;
  // Before the shell exists there is nothing to protect: a signal simply ends the process.
  installProcessGuards({
    mayQuit: () => shell?.mayQuit() ?? true,
    onSignal: (signal) => {
      if (shell === undefined) exitApp(exitCodeForSignal(signal));
      else shell.signalled(signal);
    },
  });
  if (guard !== undefined) {
    guard.on('closed', () => {
      // Without the guard nothing this process shows is a lock: end at once.
      log({ event: 'guard-gone' });
      exitApp(EXIT.failure);
    });
  }
  const shellRuntime = await runtime(production);
  const link = guard === undefined ? undefined : new GuardLink(guard, log);
  shell =
    command.kind === 'app'
      ? pamShell(command.mode, engine!, shellRuntime, link)
      : askpassShell(command.prompt, command.config, shellRuntime);
  currentShell = shell;
  shell.start();
  const exitCode = await shell.finished;
  if (guard !== undefined && exitCode === EXIT.ok) {
    // Only this line, from this process, on the guard's own channel, releases the screen.
    await guard.unlocked().catch((error: unknown) => log({ event: 'guard-unreachable', error: (error as Error).message }));
  }
  exitApp(exitCode);
}

/** unlock on X11: the guard covers and grabs, and runs this app again as its UI child. */
async function runUnderGuard(guard: string, child: readonly string[]): Promise<void> {
  role = 'guard-parent';
  const sleepLockFd = sleepLockFdOf(process.env);
  const lock = startGuardedLock({ guard, child, recovery: `kill ${process.pid}`, ...(sleepLockFd === undefined ? {} : { sleepLockFd }) });
  if (sleepLockFd !== undefined) closeSync(sleepLockFd);
  let ended = false;
  installProcessGuards({
    // Quitting would take the guard (and the lock) with it.
    mayQuit: () => ended,
    onSignal: (signal) => lock.stop(signal),
  });
  const exitCode = await lock.finished;
  ended = true;
  exitApp(exitCode);
}

/** `gatehouse polkit-agent`: registers with polkitd and shows each request in a shell of its own. */
function installPolkitAgent(command: PolkitAgentCommand, production: boolean): void {
  runtime(production)
    .then((shellRuntime) => runPolkitAgentApp(command, shellRuntime, (code) => exitApp(code)))
    .catch(fail);
}

/** What the app needs of the front door (main/cli.ts): its commands other than the app's. */
export interface FrontDoor {
  /** Runs `gatehouse ARGS` (check, serve, --version, polkit-agent --terminal ...); resolves with the exit status. */
  runCommand(args: string[]): Promise<number>;
}

/** Runs this process's command line in the app (main/cli.ts calls it under Electron). */
export function startApp(frontDoor: FrontDoor): void {
  // Every command of the app may see an answer (the shells, askpass, check and
  // serve run in this process): no core dump, no ptrace by its own user.
  makeProcessUndumpable();
  installFaultPolicy();
  let command: ShellCommand;
  let gatehouseArgs: string[];
  let guardFd: number | undefined;
  try {
    gatehouseArgs = gatehouseArguments(process.argv, process.defaultApp === true);
    command = parseCommandLine(gatehouseArgs);
    guardFd = guardFdOf();
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
      frontDoor.runCommand(command.args).then(exitApp, fail);
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
    const support = lockSupport(process.env, guardHere());
    if (!support.ok) {
      // Loudly: a locker that cannot lock must not look as if it did.
      process.stderr.write(`gatehouse lock: refusing to run: ${support.reason}\n`);
      exitApp(EXIT.failure);
      return;
    }
    role = 'guard-parent';
    if (!claimLockInstance(command.trigger)) {
      // A watcher of this user runs: it got the request (and locks if asked to).
      exitApp(EXIT.ok);
      return;
    }
    runLock(command.trigger, command.config, { guard: support.guard, child: uiChild(unlockArgumentsForLock(gatehouseArgs)), log }, (code) => exitApp(code)).catch(fail);
    return;
  }
  if (command.kind === 'app' && command.mode === 'unlock' && command.unguarded === true) {
    process.stderr.write('gatehouse: --no-guard: this unlock screen is not a screen lock\n');
  } else if (command.kind === 'app' && command.mode === 'unlock') {
    if (guardFd !== undefined) {
      role = 'guarded-ui';
      runShell(command, production, GuardChannel.open(guardFd)).catch(fail);
      return;
    }
    const support = lockSupport(process.env, guardHere());
    if (support.ok) {
      runUnderGuard(support.guard, uiChild(gatehouseArgs)).catch(fail);
      return;
    }
    process.stderr.write(`gatehouse: WARNING: this unlock screen is not a screen lock: ${support.reason}\n`);
  }
  role = command.kind === 'askpass' || command.mode === 'elevate' ? 'prompt' : 'unguarded-shell';
  runShell(command, production).catch(fail);
}
