// `gatehouse engine` as a program of its own, for plain Node as root
// (/usr/libexec/gatehouse/gatehouse-engine runs it): it loads the engine daemon's
// modules and nothing else — no UI host, no D-Bus, never Electron — so the code
// that runs as root is only the code the daemon needs. `gatehouse engine` in the
// gatehouse command (main/cli.ts) runs the same command.
import { UsageError } from '../../config';
import { ENGINE_COMMAND } from './command';

async function main(args: string[]): Promise<number> {
  try {
    return await ENGINE_COMMAND.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`gatehouse engine: ${error.message}\n(see \`gatehouse engine --help\`)\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(`gatehouse engine: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(70);
    },
  );
}
