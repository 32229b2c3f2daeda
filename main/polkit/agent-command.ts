// The command line of `gatehouse polkit-agent`, shared by the Node entry
// (main/cli.ts) and the Electron app (main/launch/command-line.ts), which
// shows the requests in its own windows.
import {
  UsageError,
  configSelection,
  directoryFlag,
  integerFlag,
  MAX_PROMPT_TIMEOUT_MS,
  parseFlags,
  type ConfigSelection,
} from '../config';
import type { Log } from '../auth/log';
import type { Config } from '../config';
import type { SubjectChoice } from './agent';
import { requestSettingsFor, type RequestSettings } from './request-session';

export const POLKIT_AGENT_USAGE = `usage: gatehouse polkit-agent [--process PID] [--fallback] [--config PATH] [--prompt-timeout MS]
                              [--helper-timeout MS]
                              [--terminal [--json] | --serve [--port N] [--renderer DIR]]

The polkit authentication agent: registers with polkitd on the system bus and
asks for the authentication each request needs (pkexec, systemctl, udisks, ...)
through polkit-agent-helper-1, the only helper polkitd trusts. Without --process
it serves the logind session it runs in ($XDG_SESSION_ID), as a desktop's agent
does: start it in the session instead of the desktop's own agent.

Each request shows polkit's message, the action's id and details, the program
asking, and who may authenticate (a choice when polkit offers several
administrators). Three failed attempts end it as not authorized; Cancel or
Escape dismisses it.

  --process PID           serve only the process PID (like pkttyagent --process)
  --fallback              serve only where no other agent does
  --terminal              answer from this terminal (or stdin lines)
  --json                  with --terminal: one JSON object per line on stdout,
                          as \`gatehouse check --json\` (registered, action,
                          prompt, message, result, outcome); one answer per
                          stdin line
  --serve                 show the UI in a browser through \`gatehouse serve\`
                          (the default where Electron is not available)
  --port N                with --serve: the TCP port (default 0: any free port)
  --renderer DIR          with --serve: serve the UI from DIR
  --config PATH           the config file (default /etc/gatehouse/config.json):
                          locale, theme, timeouts.promptMs
  --prompt-timeout MS     a prompt unanswered this long dismisses the request (0: never)
  --helper-timeout MS     polkit-agent-helper-1 silent this long while no prompt
                          waits ends the request (default 90000)

Exit status: 0 after SIGINT/SIGTERM/SIGHUP with --serve or in the app, and when
the terminal's input ended; 128+N after signal N with --terminal; 1 when the
agent cannot register or loses the system bus; 2 on a usage error.`;

export interface PolkitAgentCommand {
  /** Where the requests are shown: the terminal, a browser, or the Electron app. */
  ui: 'terminal' | 'serve' | 'app';
  json: boolean;
  subject: SubjectChoice;
  fallback: boolean;
  config: ConfigSelection;
  port: number;
  rendererDir?: string;
  /** How long the helper may stay silent while no prompt waits. */
  helperTimeoutMs?: number;
}

/** The largest pid Linux hands out (PID_MAX_LIMIT). */
const MAX_PID = 4_194_304;

/** The request settings the configuration and the command line make. */
export function agentSettings(command: PolkitAgentCommand, config: Config, log: Log): RequestSettings {
  const settings = requestSettingsFor(config, log);
  return command.helperTimeoutMs === undefined ? settings : { ...settings, helperSilenceMs: command.helperTimeoutMs };
}

/** Parses `gatehouse polkit-agent ARGS`; 'help' for --help. Throws UsageError. */
export function parsePolkitAgentArgs(args: readonly string[]): PolkitAgentCommand | 'help' {
  const { values } = parseFlags(
    args,
    {
      config: { type: 'string' },
      'prompt-timeout': { type: 'string' },
      'helper-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      process: { type: 'string' },
      fallback: { type: 'boolean' },
      terminal: { type: 'boolean' },
      json: { type: 'boolean' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
      renderer: { type: 'string' },
    },
    false,
  );
  if (values.help === true) return 'help';
  const terminal = values.terminal === true;
  const serve = values.serve === true;
  if (terminal && serve) throw new UsageError('--terminal and --serve exclude each other');
  if (values.json === true && !terminal) throw new UsageError('--json goes with --terminal');
  for (const flag of ['port', 'renderer'] as const) {
    if (values[flag] !== undefined && !serve) throw new UsageError(`--${flag} goes with --serve`);
  }
  const pid = integerFlag(values.process, '--process', 1, MAX_PID);
  const command: PolkitAgentCommand = {
    ui: terminal ? 'terminal' : serve ? 'serve' : 'app',
    json: values.json === true,
    subject: pid === undefined ? { session: 'own' } : { process: pid },
    fallback: values.fallback === true,
    config: configSelection(values, 'elevate'),
    port: integerFlag(values.port, '--port', 0, 65_535) ?? 0,
  };
  if (values.renderer !== undefined) command.rendererDir = directoryFlag(String(values.renderer), '--renderer');
  const helperTimeoutMs = integerFlag(values['helper-timeout'], '--helper-timeout', 1, MAX_PROMPT_TIMEOUT_MS);
  if (helperTimeoutMs !== undefined) command.helperTimeoutMs = helperTimeoutMs;
  return command;
}
