// Power actions of the login screen (poweroff, reboot, suspend): the configured
// command, or `systemctl <action>`.
import type { PowerAction } from '../protocol';
import type { EngineOptions } from './api';
import type { Log } from './log';
import type { RunCommand } from './run-command';

/** Runs the action's command; resolves true when it exited 0. */
export async function carryOutPower(
  action: PowerAction,
  options: EngineOptions,
  runCommand: RunCommand,
  log: Log,
): Promise<boolean> {
  const argv = options.powerCommands?.[action] ?? ['systemctl', action];
  log({ event: 'power', action });
  try {
    const status = await runCommand({ argv, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, cwd: '/' });
    if (status === 0) return true;
    log({ event: 'power-failed', action, exitStatus: status });
  } catch (error) {
    log({ event: 'power-failed', action, error: (error as { code?: string }).code ?? 'unknown' });
  }
  return false;
}
