// `gatehouse polkit-agent --terminal [--json]`: the polkit authentication agent
// answered from a terminal, or from stdin lines for scripts and tests, like
// pkttyagent. Each request is reported (`action`), then run as an engine flow
// exactly as `gatehouse check --flow elevate` runs one, attempt after attempt
// until it succeeds, is dismissed or no attempt is left; an `outcome` ends it.
//
// - several identities: the person picks one (a number, or the user's name) at
//   an echo-on prompt with the id `identity`;
// - Ctrl-C at a prompt dismisses that request (the agent goes on);
// - the end of the input dismisses the request it was needed for, then the
//   agent stops (exit status 0);
// - SIGINT, SIGTERM, SIGHUP: pending requests are dismissed, the agent
//   unregisters, exit status 128 + N; a broken bus connection: status 1.
import type { ReadStream } from 'node:tty';
import { makeProcessUndumpable } from '../../../native';
import {
  AgentError,
  PolkitAgent,
  RequestSession,
  type Identity,
  type RequestHandler,
  type RequestResult,
  type RequestSettings,
  type SubjectChoice,
} from '../../polkit';
import type { AnswerSource } from './answers';
import { JsonAgentReport, TextAgentReport, type AgentReport } from './agent-report';
import { LineAnswers } from './line-answers';
import { answerPrompt, type ConversationIo } from './pam-conversation';
import { runFlow } from './run-flow';
import { openTerminalOutput, type TerminalOutput } from './terminal-output';
import { onTerminationSignals, signalExitStatus, type TerminationSignal } from './termination-signals';
import { TtyAnswers } from './tty-answers';

export interface PolkitAgentTerminalOptions {
  json: boolean;
  subject: SubjectChoice;
  settings: RequestSettings;
  /** The locale polkitd translates messages into. */
  locale: string;
  fallback: boolean;
}

export const IDENTITY_PROMPT_ID = 'identity';

export async function runPolkitAgentTerminal(options: PolkitAgentTerminalOptions): Promise<number> {
  // This process reads answers: no core dump, no ptrace by its own user.
  makeProcessUndumpable();
  const stdin = process.stdin as NodeJS.ReadStream & Partial<ReadStream>;
  const terminal: TerminalOutput | undefined = stdin.isTTY ? openTerminalOutput() : undefined;
  let interruptRequest: (() => void) | undefined;
  const source: AnswerSource =
    terminal !== undefined
      ? new TtyAnswers({ input: stdin as ReadStream, echo: (text) => terminal.write(text), onInterrupt: () => interruptRequest?.() })
      : new LineAnswers(stdin);
  let inputEnded = false;
  const answers: AnswerSource = {
    async read(prompt, signal, show) {
      const line = await source.read(prompt, signal, show);
      if (line === null) inputEnded = true;
      return line;
    },
    close: () => source.close(),
  };
  const writeStdout = (text: string) => void process.stdout.write(text);
  const report: AgentReport = options.json
    ? new JsonAgentReport(writeStdout)
    : new TextAgentReport({
        conversation: terminal === undefined ? writeStdout : (text) => terminal.write(text),
        results: writeStdout,
        promptEndsLine: terminal === undefined,
      });
  const io: ConversationIo = { report, answers, warn: (text) => void process.stderr.write(`${text}\n`) };

  let finish!: (status: number) => void;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const handler: RequestHandler = async (request, cancelled): Promise<RequestResult> => {
    report.action(request);
    const interrupt = new AbortController();
    interruptRequest = () => interrupt.abort(new Error('interrupted at the terminal'));
    let session: RequestSession | undefined;
    try {
      const outcome = await runFlow(
        { mode: 'elevate', retry: true, chooseUser: (users, signal) => chooseIdentity(users, io, signal) },
        (observer) => {
          session = new RequestSession(request, options.settings, observer, cancelled);
          return session.engine;
        },
        io,
        interrupt.signal,
      );
      report.outcome(outcome);
    } finally {
      interruptRequest = undefined;
    }
    if (inputEnded) finish(0);
    // Without an outcome that ends it the request never reached polkitd's verdict.
    return session?.over === true ? session.result : 'not-authorized';
  };

  const stopListening = onTerminationSignals((signal: TerminationSignal) => finish(signalExitStatus(signal)));
  let agent: PolkitAgent | undefined;
  try {
    try {
      agent = await PolkitAgent.start({
        subject: options.subject,
        handler,
        locale: options.locale,
        fallback: options.fallback,
        log: options.settings.log,
      });
    } catch (error) {
      if (!(error instanceof AgentError)) throw error;
      process.stderr.write(`gatehouse polkit-agent: ${error.message}\n`);
      return 1;
    }
    report.registered(agent.subjectText);
    void agent.lost.then((reason) => {
      process.stderr.write(`gatehouse polkit-agent: ${reason}\n`);
      finish(1);
    });
    return await finished;
  } finally {
    stopListening();
    await agent?.stop();
    answers.close();
    terminal?.close();
  }
}

/** The identity to authenticate as: a number from the list, or a name on it. */
async function chooseIdentity(users: readonly Identity[] | readonly { name: string }[], io: ConversationIo, signal: AbortSignal): Promise<string> {
  const count = users.length;
  const prompt = { id: IDENTITY_PROMPT_ID, style: 'echo-on' as const, text: `Choose the identity to authenticate as (1-${count}): ` };
  for (;;) {
    // An echo-on choice, not a secret: read as text (the buffer is zeroed all the same).
    const bytes = await answerPrompt(prompt, io, signal);
    const line = bytes.toString('utf8').trim();
    bytes.fill(0);
    const index = /^\d+$/.test(line) ? Number(line) - 1 : users.findIndex((user) => user.name === line);
    const chosen = users[index];
    if (chosen !== undefined) return chosen.name;
    io.report.message('error', `Choose a number from 1 to ${count}.`);
  }
}
