// The Electron app's commands as `gatehouse` under Node (main/cli.ts) offers them:
// each runs the app in Electron (relaunch.ts) with the same arguments.
import { APP_USAGE } from './command-line';
import { runInElectron } from './relaunch';

export interface NodeCommand {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

function inElectron(name: string, summary: string): NodeCommand {
  return {
    summary,
    usage: APP_USAGE,
    run: async (args) => {
      if (args[0] === '--help' || args[0] === '-h') {
        process.stdout.write(`${APP_USAGE}\n`);
        return 0;
      }
      return runInElectron([name, ...args]);
    },
  };
}

export const ELECTRON_COMMANDS: Record<'app' | 'lock' | 'askpass', NodeCommand> = {
  app: inElectron('app', 'the Electron app: unlock, login or elevate on every display'),
  lock: inElectron('lock', 'the screen locker for logind and xss-lock (Electron)'),
  askpass: inElectron('askpass', 'a SUDO_ASKPASS prompt (Electron)'),
};
