#!/usr/bin/env node
// `gatehouse`: the command-line entry. `gatehouse COMMAND [OPTIONS]` runs one of
// COMMANDS; each command parses its own flags (node:util parseArgs, strict), maps
// them onto the configuration's overrides, and returns the exit status.
//
// Exit status: 0 success; 1 something asked for failed; 2 usage or configuration
// error; 128 + N ended by signal N (check); 70 an internal error.
//
// The one front door, under Node and in Electron (package.json "bin" and "main"):
// COMMANDS is the one command table. Under Node the Electron app's commands (app,
// lock, askpass, `--mode ...`) relaunch the same arguments in Electron
// (main/launch); in Electron this file starts the app (main/hosts/electron/main.ts),
// which runs those itself and hands every other command back to `main` here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from './auth/log';
import {
  CONFIG_FLAGS,
  ENGINE_FLAGS,
  ENGINE_FLAGS_HELP,
  MAX_PROMPT_TIMEOUT_MS,
  engineChoiceOf,
  UsageError,
  configSelection,
  directoryFlag,
  integerFlag,
  loadSelection,
  modeFlag,
  nonEmptyFlag,
  parseFlags,
  serviceFlag,
  type FlagValues,
} from './config';
import { runServe } from './hosts/browser';
import { runPolkitAgentBrowser } from './hosts/browser/polkit-agent';
import { ELECTRON_COMMANDS } from './launch/node-commands';
import { appDirectory, findElectronBinary, runInElectron } from './launch/relaunch';
import { engineFactoryFor } from './hosts/engine-choice';
import { ENGINE_COMMAND } from './hosts/socket';
import { OperationSyntaxError, parseOperation, runCheck, type Operation } from './hosts/terminal';
import { configReport, reportStatus, reportText } from './hosts/terminal/config-report';
import { runPolkitAgentTerminal } from './hosts/terminal/polkit-agent';
import { makeLog, stderrSink } from './auth/log';
import { agentLocale } from './polkit';
import { agentSettings, parsePolkitAgentArgs, POLKIT_AGENT_USAGE } from './polkit/agent-command';


export { UsageError };

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const CONFIG_HELP = `
  --config PATH           the config file (default /etc/gatehouse/config.json)
  --service NAME          the PAM service (default: the config's, per mode)
  --confdir DIR           read service files from DIR instead of /etc/pam.d
  --user NAME             the user (login: preselected; unlock: the session owner;
                          elevate: the requesting user)
  --prompt-timeout MS     a prompt unanswered this long ends the attempt (0: never)`;

const CHECK_USAGE = `usage: gatehouse check --service NAME [--confdir DIR] [--user NAME] [--json]
                       [--prompt-timeout MS] OP...
       gatehouse check --flow login|unlock|elevate [--config PATH] [--service NAME]
                       [--confdir DIR] [--user NAME] [--session ID] [--json] [--prompt-timeout MS]
       gatehouse check --flow login --engine SOCKET [--user NAME] [--session ID] [--json]
       gatehouse check --flow login --source greetd [--config PATH] [--user NAME]
                       [--session ID] [--json] [--prompt-timeout MS]
       gatehouse check --config PATH [--mode login|unlock|elevate] [--json]

Runs PAM operations (OP mode, like pamtester) or one whole Gatehouse flow in the
terminal. Each prompt is answered with one line of input (typed without echo at
echo-off prompts on a terminal); the end of the input fails the conversation.

OP: authenticate, acct_mgmt, chauthtok, setcred, open_session, close_session,
    optionally with flags: op(FLAG|FLAG), e.g. chauthtok(PAM_CHANGE_EXPIRED_AUTHTOK),
    setcred(PAM_DELETE_CRED) (setcred alone establishes), authenticate(PAM_SILENT).
    The first failing operation ends the run.

--config PATH alone checks the configuration: whether the file is valid, and what
each mode would use (its PAM service file; for login, the sessions offered and any
installed session that cannot be used, with the reason). A mode that could not
start is a warning, or with --mode MODE, the answer (exit status 1).

  --flow MODE             run the engine's login, unlock or elevate flow
  --mode MODE             --config alone: check that MODE can start
  --session ID            login: the configured session to start
${ENGINE_FLAGS_HELP}
                          (with --engine no result lines are printed)
  --json                  one JSON object per line on stdout (prompt, message,
                          delay, result, outcome)${CONFIG_HELP}

Exit status: 0 when everything asked for succeeded, 1 otherwise, 2 on a usage or
configuration error, 128+N when ended by signal N.`;

const SERVE_USAGE = `usage: gatehouse serve --mode login|unlock|elevate [--config PATH] [--service NAME]
                       [--confdir DIR] [--user NAME] [--port N] [--prompt-timeout MS]
                       [--renderer DIR] [--peer-uid UID]
       gatehouse serve --engine SOCKET [--mode login] [--port N] [--renderer DIR]
                       [--peer-uid UID]

Serves the Gatehouse UI to one local user's browser: an HTTP server on 127.0.0.1
(and nowhere else) with the built renderer and a WebSocket to one engine. The
first line on stdout is {"event":"listening","url":...,"origin":...}: the url is
a one-time entry link, exchanged at once for a session cookie. Then one
{"event":"outcome",...} line follows each flow. Stops on SIGINT/SIGTERM.

  --mode MODE             login, unlock or elevate
  --engine SOCKET         login through the engine daemon at SOCKET (gatehouse engine)
  --port N                the TCP port (default 0: any free port)
  --host 127.0.0.1        the only address accepted
  --renderer DIR          serve the UI from DIR (default: dist/renderer)
  --peer-uid UID          serve the browser of this user (default: the user
                          running serve); connections of any other but root are cut off${CONFIG_HELP}`;

const USAGE = `usage: gatehouse COMMAND [OPTIONS]

Commands:
${'{commands}'}

\`gatehouse COMMAND --help\` describes each one; \`gatehouse --version\` prints the version.`;

const COMMANDS: Record<string, Command> = {
  check: { summary: 'run PAM operations or a whole flow in the terminal', usage: CHECK_USAGE, run: runCheckCommand },
  serve: { summary: 'serve the UI to a browser on 127.0.0.1', usage: SERVE_USAGE, run: runServeCommand },
  'polkit-agent': { summary: 'the polkit authentication agent (pkexec, systemctl, ...)', usage: POLKIT_AGENT_USAGE, run: runPolkitAgentCommand },
  engine: ENGINE_COMMAND,
  ...ELECTRON_COMMANDS,
};

// ---------------------------------------------------------------- check

async function runCheckCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...CONFIG_FLAGS,
    flow: { type: 'string' },
    session: { type: 'string' },
    json: { type: 'boolean' },
    mode: { type: 'string' },
    ...ENGINE_FLAGS,
  });
  if (values.help === true) return help(CHECK_USAGE);
  const json = values.json === true;

  if (values.flow === undefined && values.service === undefined && positionals.length === 0 && values.config !== undefined) {
    return runConfigCheck(values, json);
  }
  if (values.mode !== undefined) throw new UsageError('--mode applies to --config alone (for a flow, use --flow MODE)');

  if (values.flow === undefined) {
    for (const flag of ['config', 'session', 'engine', 'source'] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(`--${flag} applies to --flow${flag === 'config' ? ', or alone (to check the configuration)' : ' only'}`);
      }
    }
    const service = values.service;
    if (service === undefined) throw new UsageError('give --service NAME (or --flow MODE)');
    if (positionals.length === 0) throw new UsageError('give at least one operation, e.g. authenticate acct_mgmt');
    let operations: Operation[];
    try {
      operations = positionals.map(parseOperation);
    } catch (error) {
      if (error instanceof OperationSyntaxError) throw new UsageError(error.message);
      throw error;
    }
    return runCheck({
      json,
      target: {
        kind: 'operations',
        options: {
          service: serviceFlag(String(service)),
          ...optionalString(values, 'user'),
          ...(values.confdir === undefined ? {} : { confDir: directoryFlag(String(values.confdir), '--confdir') }),
          operations,
          promptTimeoutMs: integerFlag(values['prompt-timeout'], '--prompt-timeout', 0, MAX_PROMPT_TIMEOUT_MS) ?? 0,
        },
      },
    });
  }

  if (positionals.length > 0) throw new UsageError(`operations and --flow exclude each other (got '${positionals[0]!.slice(0, 64)}')`);
  const mode = modeFlag(values.flow, '--flow');
  return runCheck({
    json,
    target: {
      kind: 'flow',
      flow: {
        mode,
        ...(mode === 'login' ? optionalString(values, 'user') : {}),
        ...optionalString(values, 'session'),
      },
      startEngine: engineFactoryFor(engineChoiceOf(values, mode), mode, configSelection(values, mode)),
    },
  });
}

/** `gatehouse check --config PATH [--mode MODE]`: the configuration report (config-report.ts). */
function runConfigCheck(values: FlagValues, json: boolean): number {
  for (const flag of ['session', 'user', 'engine', 'source'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --config alone`);
  }
  const mode = values.mode === undefined ? undefined : modeFlag(values.mode, '--mode');
  const selection = configSelection(values, mode ?? 'login');
  const report = configReport(loadSelection(selection), selection.path!);
  const status = reportStatus(report, mode);
  process.stdout.write(json ? `${JSON.stringify({ type: 'config', ...report, status })}\n` : reportText(report, mode));
  return status;
}

// ---------------------------------------------------------------- serve

async function runServeCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      ...CONFIG_FLAGS,
      mode: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      renderer: { type: 'string' },
      ...ENGINE_FLAGS,
      'peer-uid': { type: 'string' },
    },
    false,
  );
  if (values.help === true) return help(SERVE_USAGE);
  if (values.host !== undefined && values.host !== '127.0.0.1') {
    throw new UsageError(
      `--host: gatehouse serve listens on 127.0.0.1 only (got '${String(values.host).slice(0, 64)}'): the engine must not be reachable from the network`,
    );
  }
  if (values.mode === undefined && values.engine === undefined) throw new UsageError('give --mode login|unlock|elevate');
  const mode = values.mode === undefined ? 'login' : modeFlag(values.mode, '--mode');
  const port = integerFlag(values.port, '--port', 0, 65_535) ?? 0;
  if (values.source !== undefined) throw new UsageError('--source does not apply to serve (a greetd greeter is the app or check)');
  const peerUid = integerFlag(values['peer-uid'], '--peer-uid', 0, 4_294_967_294);
  const startEngine = engineFactoryFor(engineChoiceOf(values, mode), mode, configSelection(values, mode));
  return runServe({
    mode,
    host: '127.0.0.1',
    port,
    ...(values.renderer === undefined ? {} : { rendererDir: directoryFlag(String(values.renderer), '--renderer') }),
    ...(peerUid === undefined ? {} : { peerUid }),
    startEngine,
  });
}

// ---------------------------------------------------------------- polkit-agent

async function runPolkitAgentCommand(args: string[]): Promise<number> {
  const command = parsePolkitAgentArgs(args);
  if (command === 'help') return help(POLKIT_AGENT_USAGE);
  const settings = agentSettings(command, loadSelection(command.config), makeLog(stderrSink, Date.now));
  const common = { subject: command.subject, settings, locale: agentLocale(), fallback: command.fallback };
  let ui = command.ui;
  if (ui === 'app') {
    const electron = findElectronBinary();
    if (electron.found) return runInElectron(['polkit-agent', ...args]);
    process.stderr.write(`gatehouse polkit-agent: ${electron.reason}: the requests are shown in a browser instead (open the URL printed below)\n`);
    ui = 'serve';
  }
  if (ui === 'terminal') return runPolkitAgentTerminal({ ...common, json: command.json });
  return runPolkitAgentBrowser({
    ...common,
    host: '127.0.0.1',
    port: command.port,
    ...(command.rendererDir === undefined ? {} : { rendererDir: command.rendererDir }),
  });
}

// ---------------------------------------------------------------- flag checks

function optionalString(values: FlagValues, name: 'user' | 'session'): { user?: string; session?: string } {
  const value = values[name];
  if (value === undefined) return {};
  return { [name]: nonEmptyFlag(String(value), `--${name}`) };
}

function help(usage: string): number {
  process.stdout.write(`${usage}\n`);
  return 0;
}

// ---------------------------------------------------------------- entry

/** The version in the app's package.json (the checkout's, or the packaged app's). */
function version(): string {
  const manifest = JSON.parse(readFileSync(join(appDirectory(), 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}

function usageText(): string {
  const commands = Object.entries(COMMANDS)
    .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
    .join('\n');
  return USAGE.replace('{commands}', commands);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    process.stderr.write(`${usageText()}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usageText()}\n`);
    return 0;
  }
  if (name === '--version') {
    if (args.length > 0) {
      process.stderr.write('gatehouse: --version takes no arguments\n');
      return 2;
    }
    process.stdout.write(`gatehouse ${version()}\n`);
    return 0;
  }
  // `gatehouse --mode unlock ...`: the app itself, as the desktop files start it.
  if (name.startsWith('--')) return ELECTRON_COMMANDS.app.run(argv);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    process.stderr.write(`gatehouse: unknown command '${name.slice(0, 64)}'\n${usageText()}\n`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gatehouse ${name}: ${error.message}\n(see \`gatehouse ${name} --help\`)\n`);
    return 2;
  }
}

/** In Electron (the packaged `gatehouse`): the app runs its own commands, the rest come back to `main`. */
function startInElectron(): void {
  const electronApp = require('./hosts/electron/main') as typeof import('./hosts/electron/main');
  electronApp.startApp({ runCommand: main });
}

if (process.versions.electron !== undefined) {
  startInElectron();
} else if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      // Named, not quoted: an unexpected error's message may hold anything, an answer too.
      process.stderr.write(`gatehouse: internal error: ${describeError(error)}\n`);
      process.exit(70);
    },
  );
}
