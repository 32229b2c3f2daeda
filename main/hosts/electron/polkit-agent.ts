// `gatehouse polkit-agent` in the Electron app: the agent stays registered for
// the session and shows each request as an elevate-mode GuardedShell (a window
// on every display, the conversation on the primary), whose engine is the
// request's (main/polkit/request-session.ts). The shell's rules decide what ends
// it: authenticated, dismissed (Cancel, Escape, closing the window, polkitd
// cancelling), or the attempts used up; then the next request may come.
import { loadSelection } from '../../config';
import { AgentError, PolkitAgent, RequestSession, agentLocale, type RequestHandler } from '../../polkit';
import { agentSettings, type PolkitAgentCommand } from '../../polkit/agent-command';
import { installProcessGuards } from './app-runtime';
import { EXIT, exitCodeForSignal } from '../../exit-codes';
import { GuardedShell } from './guarded-shell';
import type { ShellRuntime } from './shells';

export async function runPolkitAgentApp(command: PolkitAgentCommand, runtime: ShellRuntime, exit: (code: number) => void): Promise<void> {
  const settings = agentSettings(command, loadSelection(command.config), runtime.log);
  let shell: GuardedShell | undefined;
  let agent: PolkitAgent | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await agent?.stop();
    if (shell !== undefined) await shell.finished;
    exit(code);
  };

  installProcessGuards({
    mayQuit: () => shell?.mayQuit() ?? true,
    onSignal: (signal) => {
      shell?.signalled(signal);
      void stop(exitCodeForSignal(signal));
    },
  });

  const handler: RequestHandler = async (request, cancelled) => {
    let session: RequestSession | undefined;
    const current = new GuardedShell({
      mode: 'elevate',
      createEngine: (observer) => {
        session = new RequestSession(request, settings, observer, cancelled);
        return session.engine;
      },
      session: runtime.session,
      preloadFile: runtime.files.preloadFile,
      production: runtime.production,
      log: runtime.log,
    });
    shell = current;
    current.start();
    await current.finished;
    if (shell === current) shell = undefined;
    // A shell that ended before the request did (closed, a renderer that kept failing) dismissed it.
    return session?.over === true ? session.result : 'dismissed';
  };

  try {
    agent = await PolkitAgent.start({ subject: command.subject, handler, locale: agentLocale(), fallback: command.fallback, log: runtime.log });
  } catch (error) {
    if (!(error instanceof AgentError)) throw error;
    process.stderr.write(`gatehouse polkit-agent: ${error.message}\n`);
    exit(EXIT.failure);
    return;
  }
  runtime.log({ event: 'polkit-registered', subject: agent.subjectText });
  void agent.lost.then((reason) => {
    runtime.log({ event: 'polkit-agent-lost', reason });
    void stop(EXIT.failure);
  });
}
