// The pieces of a polkit test: a user's shell in the lab (lab/polkit.ts) that runs
// pkexec when told to, and `gatehouse polkit-agent --process <shell> --terminal
// --json` as the same user, answering from stdin lines.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { COMMAND_SHELL, HELPER, type PolkitLab } from '../../../lab/polkit';
import type { TestUser } from '../../../lab/users';
import { startCli, type RunningCli } from '../../test/cli-process';

/** A user's shell whose parent-of-pkexec process the agent serves. */
export class UserShell {
  readonly child: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  #consumed = 0;

  constructor(lab: PolkitLab, user: Pick<TestUser, 'name' | 'uid'>) {
    this.child = lab.spawn(COMMAND_SHELL, { user });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything the shell and its commands (pkexec) wrote. */
  get output(): string {
    return this.#stdout + this.#stderr;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Runs `command` (one shell line) in the shell; see status(). */
  run(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  /** The next command's exit status, and what it printed on stdout before. */
  async status(timeoutMs = 30_000): Promise<{ status: number; stdout: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.#stdout.slice(this.#consumed);
      const match = /^status (\d+)$/m.exec(rest);
      if (match !== null) {
        this.#consumed += match.index + match[0].length + 1;
        return { status: Number(match[1]), stdout: rest.slice(0, match.index) };
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no command status within ${timeoutMs} ms; shell output:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill('SIGTERM');
  }
}

/** `gatehouse polkit-agent ARGS` as `user` in the lab. */
export function startAgent(lab: PolkitLab, user: Pick<TestUser, 'name' | 'uid'>, args: string[]): RunningCli {
  return startCli(['polkit-agent', ...args], {
    launcher: { prefix: lab.command([], user), env: lab.environment(user) },
  });
}

/** The terminal agent for the shell's process, registered. */
export async function startTerminalAgent(
  lab: PolkitLab,
  user: Pick<TestUser, 'name' | 'uid'>,
  shell: UserShell,
  extra: string[] = [],
): Promise<RunningCli> {
  const agent = startAgent(lab, user, ['--process', String(shell.pid), '--terminal', '--json', ...extra]);
  const registered = await agent.nextEvent();
  if (registered.event !== 'registered') throw new Error(`the agent's first line was not "registered": ${JSON.stringify(registered)}`);
  return agent;
}

/** The polkit-agent-helper-1 processes started by `parent`. */
export function helperChildren(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readlinkSync(`/proc/${entry}/exe`) === HELPER) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Polls until `check` holds. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
