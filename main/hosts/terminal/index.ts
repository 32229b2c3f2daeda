// `gatehouse check`: the terminal host. Runs PAM operations (OP mode) or one whole
// engine flow (flow mode), reading one answer per prompt from the terminal or from
// stdin, and reports in text or, with --json, one JSON object per line.
//
// Exit status: 0 when everything asked for succeeded, 1 when something failed,
// 128 + N when ended by signal N (the terminal is restored first).
import type { ReadStream } from 'node:tty';
import { makeProcessUndumpable } from '../../../native';
import type { AnswerSource } from './answers';
import { JsonReport } from './json-report';
import { LineAnswers } from './line-answers';
import type { ConversationIo } from './pam-conversation';
import type { CheckReport } from './report';
import { runFlow, type EngineFactory, type FlowRequest } from './run-flow';
import { runOperations, type OperationsOptions } from './run-operations';
import { onTerminationSignals, signalExitStatus, type TerminationSignal } from './termination-signals';
import { openTerminalOutput, type TerminalOutput } from './terminal-output';
import { TextReport } from './text-report';
import { TtyAnswers } from './tty-answers';

export type CheckTarget =
  | { kind: 'operations'; options: OperationsOptions }
  | { kind: 'flow'; flow: FlowRequest; startEngine: EngineFactory };

export interface CheckOptions {
  json: boolean;
  target: CheckTarget;
}

export { parseOperation, OperationSyntaxError, OPERATION_NAMES, type Operation } from './operations';
export type { FlowRequest, EngineFactory } from './run-flow';

/** Runs the check on this process's stdin / stdout / terminal; resolves to the exit status. */
export async function runCheck(options: CheckOptions): Promise<number> {
  // This process reads answers: no core dump, no ptrace by its own user.
  makeProcessUndumpable();
  const interrupt = new AbortController();
  let caught: TerminationSignal | undefined;
  const onSignal = (signal: TerminationSignal) => {
    answers.close(); // first of all: the terminal back in its own mode
    if (caught !== undefined) process.exit(signalExitStatus(caught)); // a second signal: stop now
    caught = signal;
    interrupt.abort(new Error(`interrupted by ${signal}`));
  };

  const stdin = process.stdin as NodeJS.ReadStream & Partial<ReadStream>;
  const terminal: TerminalOutput | undefined = stdin.isTTY ? openTerminalOutput() : undefined;
  const answers: AnswerSource =
    terminal !== undefined
      ? new TtyAnswers({ input: stdin as ReadStream, echo: (text) => terminal.write(text), onInterrupt: () => onSignal('SIGINT') })
      : new LineAnswers(stdin);
  const writeStdout = (text: string) => void process.stdout.write(text);
  const report: CheckReport = options.json
    ? new JsonReport(writeStdout)
    : new TextReport({
        conversation: terminal === undefined ? writeStdout : (text) => terminal.write(text),
        results: writeStdout,
        promptEndsLine: terminal === undefined,
      });
  const io: ConversationIo = { report, answers, warn: (text) => void process.stderr.write(`${text}\n`) };

  const stopListening = onTerminationSignals(onSignal);
  try {
    const { target } = options;
    const outcome =
      target.kind === 'operations'
        ? await runOperations(target.options, io, interrupt.signal)
        : await runFlow(target.flow, target.startEngine, io, interrupt.signal);
    report.outcome(outcome);
    if (caught !== undefined) return signalExitStatus(caught);
    return outcome.ok ? 0 : 1;
  } finally {
    stopListening();
    answers.close();
    terminal?.close();
  }
}
