// The command line of the engine daemon (`gatehouse engine`) and the --engine
// flag its clients (`gatehouse check`, `gatehouse serve`) take.
import { isAbsolute } from 'node:path';
import { systemAccounts } from '../../auth/accounts';
import {
  CONFIG_FLAGS,
  ConfigError,
  UsageError,
  configSelection,
  desktopSessionSettings,
  engineOptionsFor,
  loadSelection,
  nonEmptyFlag,
  parseFlags,
} from '../../config';
import { desktopSessions } from '../../sessions/launch/desktop-launcher';
import { runEngineDaemon } from './run-daemon';

export const ENGINE_USAGE = `usage: gatehouse engine --socket PATH --client-user NAME [--config PATH]
                        [--service NAME] [--confdir DIR] [--prompt-timeout MS]

The login engine as a daemon (run as root, e.g. by gatehouse-engine.service): the
engine and the libpam addon, no UI, serving Gatehouse's protocol to one client —
the greeter, running as NAME — over a Unix socket at PATH (mode 0600, owned by
NAME; every peer is checked with SO_PEERCRED). Each message is one frame: a
32-bit length in the host's byte order, then that many bytes of UTF-8 JSON.
stdout gets one line, {"event":"listening","socket":PATH}, once it listens; the
log goes to stderr. SIGTERM, SIGINT and SIGHUP stop it (a running flow is
aborted and ended, a running session stopped).

  --socket PATH           the socket (its directory must be writable by root only,
                          e.g. /run/gatehouse)
  --client-user NAME      the only user who may connect (the greeter's)
  --config PATH           the config file (default /etc/gatehouse/config.json)
  --service NAME          the PAM service (default: the config's services.login)
  --confdir DIR           read service files from DIR instead of /etc/pam.d
  --prompt-timeout MS     a prompt unanswered this long ends the attempt (0: never)

Clients: gatehouse --mode login --engine PATH (the greeter), gatehouse check
--flow login --engine PATH, gatehouse serve --engine PATH.`;

async function runEngineCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { ...CONFIG_FLAGS, socket: { type: 'string' }, 'client-user': { type: 'string' } }, false);
  if (values.help === true) {
    process.stdout.write(`${ENGINE_USAGE}\n`);
    return 0;
  }
  if (values.user !== undefined) throw new UsageError('--user does not apply: the greeter names the user of each login');
  if (values.socket === undefined) throw new UsageError('give --socket PATH');
  const socketPath = absolutePath(String(values.socket), '--socket');
  if (values['client-user'] === undefined) throw new UsageError('give --client-user NAME (the greeter\'s user)');
  const name = nonEmptyFlag(String(values['client-user']), '--client-user');
  const account = await systemAccounts.lookup(name);
  if (account === undefined) throw new UsageError(`--client-user: there is no user ${name.slice(0, 64)}`);
  const me = process.getuid?.() ?? 0;
  if (me !== 0 && account.uid !== me) {
    throw new UsageError('gatehouse engine runs as root (it opens sessions and serves another user); without root it can serve only the user running it');
  }
  const config = loadSelection(configSelection(values, 'login'));
  let engineOptions;
  try {
    engineOptions = engineOptionsFor(config, 'login');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  // The daemon starts desktop sessions itself: X11 with an X server of their
  // own, Wayland with its runtime directory, all with utmp / wtmp records.
  const sessions = desktopSessions(desktopSessionSettings(config));
  return runEngineDaemon({ socketPath, client: { name, uid: account.uid, gid: account.gid }, engineOptions, sessions });
}

export const ENGINE_COMMAND = {
  summary: 'the login engine as a daemon on a Unix socket (for the greeter)',
  usage: ENGINE_USAGE,
  run: runEngineCommand,
};

function absolutePath(value: string, flag: string): string {
  if (!isAbsolute(value)) throw new UsageError(`${flag} must be an absolute path`);
  return value;
}
