// The command line of the Electron app (the packaged `gatehouse` binary), parsed
// without Electron: the app (main/hosts/electron/main.ts), the relaunch from Node
// and the packaged stand-in read it.
//
//   gatehouse [app] [--mode login|unlock|elevate] [CONFIG FLAGS] [--action TEXT] [--program NAME] [-- COMMAND...]
//   gatehouse lock [--now | --once] [CONFIG FLAGS]
//   gatehouse askpass [--config PATH] [--] PROMPT
//   gatehouse check ... | gatehouse serve ...     (the terminal and browser hosts)
//
// CONFIG FLAGS are the other hosts' own (main/config/flags.ts): --config, --service,
// --confdir, --user, --prompt-timeout. Parsing is strict; the result says what to run.
import {
  CONFIG_FLAGS,
  ENGINE_FLAGS,
  ENGINE_FLAGS_HELP,
  UsageError,
  engineChoiceOf,
  configSelection,
  modeFlag,
  nonEmptyFlag,
  parseFlags,
  type ConfigOverrides,
  type ConfigSelection,
  type EngineChoice,
} from '../config';
import type { Mode } from '../protocol';
import { parsePolkitAgentArgs, POLKIT_AGENT_USAGE, type PolkitAgentCommand } from '../polkit/agent-command';


export type LockTrigger =
  /** Watch logind: lock on its Lock signal and before sleep. */
  | 'watch'
  /** Lock at once, then go on watching (or hand the lock to a watcher already running). */
  | 'now'
  /** Lock at once and exit after the unlock, without logind (xss-lock's locker). */
  | 'once';

export type ShellCommand =
  /** engine: where the engine runs (login: maybe the daemon, or greetd as the PAM source). unguarded: unlock mode without gatehouse-guard (--no-guard): the UI alone, not a screen lock. */
  | { kind: 'app'; mode: Mode; config: ConfigSelection; engine: EngineChoice; unguarded?: true }
  | { kind: 'lock'; trigger: LockTrigger; config: ConfigSelection }
  | { kind: 'askpass'; prompt: string; config: ConfigSelection }
  /** The polkit authentication agent, showing each request in the app's windows. */
  | { kind: 'polkit-agent'; command: PolkitAgentCommand }
  /** A command of the terminal or browser host: handed to main/cli.ts as is. */
  | { kind: 'cli'; args: string[] }
  | { kind: 'help'; text: string };

export { UsageError };

export const APP_USAGE = `usage: gatehouse [app] [--mode login|unlock|elevate] [--config PATH] [--service NAME]
                 [--confdir DIR] [--user NAME] [--prompt-timeout MS] [--no-guard]
                 [--action TEXT] [--program NAME] [-- COMMAND...]
       gatehouse [app] --mode login --engine SOCKET | --source greetd [--config PATH]
       gatehouse lock [--now | --once] [--config PATH] [--service NAME] [--confdir DIR]
       gatehouse askpass [--config PATH] [--] PROMPT
       gatehouse polkit-agent [--process PID] [--fallback] [--config PATH]
       gatehouse check ... | gatehouse serve ...   (see gatehouse check --help)
       gatehouse --version

Shows Gatehouse in a full-screen window on every display (mode unlock by default:
lock the screen for the user running it, until that user authenticates).

  --mode MODE             login (the greeter), unlock, or elevate ("confirm
                          it's you": exit status 0 when confirmed, 1 when not)
${ENGINE_FLAGS_HELP}
  --action TEXT           elevate: what is being approved, as shown
  --program NAME          elevate: who asks, as shown
  -- COMMAND...           elevate: run COMMAND after the confirmation; its exit
                          status becomes Gatehouse's
  --config PATH           the config file (default /etc/gatehouse/config.json)
  --service NAME          the PAM service (default: the config's, per mode)
  --confdir DIR           read service files from DIR instead of /etc/pam.d
  --user NAME             unlock: the session owner; elevate: the requesting user
  --prompt-timeout MS     a prompt unanswered this long ends the attempt (0: never)
  --no-guard              unlock: without the screen guard (gatehouse-guard): the
                          UI alone, for demos and tests; it does not lock the screen

On X11, unlock mode runs under gatehouse-guard, which covers every output, holds
keyboard and pointer, and releases the screen only after a successful unlock; on
Wayland it is not a screen lock (and says so).

lock: the screen locker for logind (a systemd user unit runs it): locks on
logind's Lock signal (loginctl lock-session, xss-lock -- loginctl lock-session)
and before the system sleeps. X11 only: on Wayland it refuses to run. --now also locks at once; --once locks at once and
exits after the unlock (for xss-lock -- gatehouse lock --once).

askpass: SUDO_ASKPASS=/usr/bin/gatehouse-askpass: shows PROMPT, writes the answer
to stdout (never to a terminal); exit status 0 when answered, 1 when cancelled.

polkit-agent: the polkit authentication agent of the session (or of --process
PID); each request opens an elevate window (see gatehouse polkit-agent --help).`;

/** Chromium and Node switches that may precede Gatehouse's arguments; Chromium has consumed them. */
const RUNTIME_SWITCH = /^--(?:no-sandbox|headless|inspect(?:-brk|-port)?|remote-debugging-(?:port|pipe)|ozone-platform(?:-hint)?|enable-features|disable-features|disable-gpu|enable-logging|v|vmodule|use-gl|use-angle|enable-wayland-ime|force-device-scale-factor)(?:=.*)?$/;

/**
 * Gatehouse's own arguments from process.argv. Unpackaged (`electron APP ...`),
 * they follow the app path; packaged, they follow the executable. Runtime
 * switches before them (Playwright's --inspect=0 --remote-debugging-port=0,
 * --no-sandbox, --ozone-platform=...) are dropped.
 */
export function gatehouseArguments(argv: readonly string[], unpackaged: boolean): string[] {
  let rest = argv.slice(1);
  const leadingSwitches = () => {
    let i = 0;
    while (i < rest.length && RUNTIME_SWITCH.test(rest[i]!)) i++;
    rest = rest.slice(i);
  };
  leadingSwitches();
  if (unpackaged) {
    rest = rest.slice(1); // the app path
    leadingSwitches();
  }
  return rest;
}


export function parseCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ShellCommand {
  const [first, ...rest] = args;
  switch (first) {
    case 'check':
    case 'serve':
    case '--version':
      return { kind: 'cli', args: [...args] };
    case 'polkit-agent': {
      const command = parsePolkitAgentArgs(rest);
      if (command === 'help') return { kind: 'help', text: POLKIT_AGENT_USAGE };
      // --terminal and --serve run as under Node.
      return command.ui === 'app' ? { kind: 'polkit-agent', command } : { kind: 'cli', args: [...args] };
    }
    case 'engine':
      // The daemon runs as root: it must never bring Chromium along.
      throw new UsageError('gatehouse engine runs under Node, not in the app: use /usr/libexec/gatehouse/gatehouse-engine');
    case 'app':
      return parseApp(rest, env);
    case 'lock':
      return parseLock(rest);
    case 'askpass':
      return parseAskpass(rest);
    case 'help':
      return { kind: 'help', text: APP_USAGE };
    default:
      if (first !== undefined && !first.startsWith('-')) {
        throw new UsageError(`unknown command '${first.slice(0, 64)}'`);
      }
      return parseApp(args, env);
  }
}

function parseApp(args: readonly string[], env: NodeJS.ProcessEnv): ShellCommand {
  const { values, positionals } = parseFlags(args, {
    ...CONFIG_FLAGS,
    ...ENGINE_FLAGS,
    mode: { type: 'string' },
    action: { type: 'string' },
    program: { type: 'string' },
    'no-guard': { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help', text: APP_USAGE };
  const mode = values.mode === undefined ? 'unlock' : modeFlag(values.mode, '--mode');
  const engine = engineChoiceOf(values, mode, env);
  const config = configSelection(values, mode);
  const unguarded = values['no-guard'] === true;
  if (unguarded && mode !== 'unlock') throw new UsageError('--no-guard applies to --mode unlock only');
  const elevateFlags = ['action', 'program'] as const;
  if (mode !== 'elevate') {
    for (const flag of elevateFlags) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --mode elevate only`);
    }
    if (positionals.length > 0) {
      throw new UsageError(`a command after -- applies to --mode elevate only (got '${positionals[0]!.slice(0, 64)}')`);
    }
    return unguarded ? { kind: 'app', mode, config, engine, unguarded } : { kind: 'app', mode, config, engine };
  }
  const elevate: NonNullable<ConfigOverrides['elevate']> = {};
  if (values.action !== undefined) elevate.action = nonEmptyFlag(String(values.action), '--action');
  if (values.program !== undefined) elevate.program = nonEmptyFlag(String(values.program), '--program');
  if (positionals.length > 0) elevate.command = [...positionals];
  if (Object.keys(elevate).length > 0) config.overrides.elevate = elevate;
  return { kind: 'app', mode, config, engine };
}

function parseLock(args: readonly string[]): ShellCommand {
  const { values, positionals } = parseFlags(args, { ...CONFIG_FLAGS, now: { type: 'boolean' }, once: { type: 'boolean' } });
  if (values.help === true) return { kind: 'help', text: APP_USAGE };
  if (positionals.length > 0) throw new UsageError(`lock takes no arguments (got '${positionals[0]!.slice(0, 64)}')`);
  if (values.now === true && values.once === true) throw new UsageError('--now and --once exclude each other');
  if (values.user !== undefined) throw new UsageError('lock locks the session of the user running it: --user does not apply');
  const trigger: LockTrigger = values.once === true ? 'once' : values.now === true ? 'now' : 'watch';
  return { kind: 'lock', trigger, config: configSelection(values, 'unlock') };
}

function parseAskpass(args: readonly string[]): ShellCommand {
  const { values, positionals } = parseFlags(args, { config: CONFIG_FLAGS.config, help: CONFIG_FLAGS.help });
  if (values.help === true) return { kind: 'help', text: APP_USAGE };
  if (positionals.length !== 1) throw new UsageError('askpass takes exactly one argument: the prompt');
  const prompt = positionals[0]!;
  if (prompt.length > 1000) throw new UsageError('askpass: the prompt is longer than 1000 characters');
  return { kind: 'askpass', prompt, config: configSelection(values, 'elevate') };
}

export type { ConfigSelection };
