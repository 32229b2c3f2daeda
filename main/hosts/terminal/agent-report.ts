// What `gatehouse polkit-agent --terminal` tells its user: the conversation as
// `gatehouse check` reports it (prompts, messages, PAM results, outcomes), plus
// the agent's own lines: that it is registered, and which action each request
// asks for.
//
// With --json, one JSON object per line on stdout, with check's shapes for
// `prompt`, `message`, `delay`, `result` and `outcome`, and:
//   {"event":"registered","subject":"unix-process:1234:5678:1000"}
//   {"event":"action","request":"<uuid>","id":"org.freedesktop.policykit.exec",
//    "message":"...","program":"pkexec","details":{"program":"/bin/true",...},
//    "identities":[{"name":"alice","displayName":"Alice"}]}
// An `outcome` line ends each request: ok true (authenticated), or false with
// code CANCELLED (dismissed), PROMPT_TIMEOUT, or the last attempt's code.
import type { CallResult } from '../../auth/api';
import type { PresentedRequest } from '../../polkit';
import { JsonReport } from './json-report';
import type { CheckOutcome, CheckReport, PromptShown } from './report';
import { printable, TextReport, type TextReportSinks } from './text-report';

export interface AgentReport extends CheckReport {
  /** The agent is registered with polkitd for `subject`. */
  registered(subject: string): void;
  /** A request begins. */
  action(request: PresentedRequest): void;
}

/** check's JSON lines, and the agent's own. */
export class JsonAgentReport implements AgentReport {
  readonly #write: (line: string) => void;
  readonly #check: JsonReport;

  constructor(write: (line: string) => void) {
    this.#write = write;
    this.#check = new JsonReport(write);
  }

  registered(subject: string): void {
    this.#line({ event: 'registered', subject });
  }

  action(request: PresentedRequest): void {
    this.#line({
      event: 'action',
      request: request.id,
      id: request.actionId,
      message: request.message,
      program: request.program,
      details: Object.fromEntries(request.details.map(({ name, value }) => [name, value])),
      identities: request.identities.map(({ name, displayName }) => ({ name, ...(displayName === undefined ? {} : { displayName }) })),
    });
  }

  prompt(prompt: PromptShown): void {
    this.#check.prompt(prompt);
  }

  message(kind: 'info' | 'error', text: string): void {
    this.#check.message(kind, text);
  }

  delay(ms: number): void {
    this.#check.delay(ms);
  }

  result(result: CallResult): void {
    this.#check.result(result);
  }

  outcome(outcome: CheckOutcome): void {
    this.#check.outcome(outcome);
  }

  #line(value: Record<string, unknown>): void {
    this.#write(`${JSON.stringify(value)}\n`);
  }
}

/** For a person at a terminal, in pkttyagent's manner. */
export class TextAgentReport implements AgentReport {
  readonly #sinks: TextReportSinks;
  readonly #check: TextReport;

  constructor(sinks: Omit<TextReportSinks, 'label'>) {
    this.#sinks = { ...sinks, label: 'gatehouse polkit-agent' };
    this.#check = new TextReport(this.#sinks);
  }

  registered(subject: string): void {
    this.#sinks.results(`gatehouse polkit-agent: the authentication agent for ${subject}; waiting for requests\n`);
  }

  action(request: PresentedRequest): void {
    const lines = [
      `==== AUTHENTICATION FOR ${printable(request.actionId)} ====`,
      printable(request.message),
      `Asked by: ${printable(request.program)}`,
      ...request.details.map(({ name, value }) => `  ${printable(name)}: ${printable(value)}`),
    ];
    if (request.identities.length === 1) {
      lines.push(`Authenticating as: ${identityText(request.identities[0]!)}`);
    } else {
      lines.push('Several identities can authenticate:');
      request.identities.forEach((identity, index) => lines.push(` ${index + 1}. ${identityText(identity)}`));
    }
    this.#sinks.conversation(`${lines.join('\n')}\n`);
  }

  prompt(prompt: PromptShown): void {
    this.#check.prompt(prompt);
  }

  message(kind: 'info' | 'error', text: string): void {
    this.#check.message(kind, text);
  }

  delay(ms: number): void {
    this.#check.delay(ms);
  }

  result(result: CallResult): void {
    this.#check.result(result);
  }

  outcome(outcome: CheckOutcome): void {
    const text = outcome.ok
      ? 'AUTHENTICATION COMPLETE'
      : outcome.code === 'CANCELLED'
        ? 'AUTHENTICATION DISMISSED'
        : `AUTHENTICATION FAILED (${outcome.code}${outcome.reason === undefined ? '' : `: ${printable(outcome.reason)}`})`;
    this.#sinks.conversation(`==== ${text} ====\n`);
  }
}

function identityText(identity: { name: string; displayName?: string }): string {
  return identity.displayName === undefined ? printable(identity.name) : `${printable(identity.displayName)} (${printable(identity.name)})`;
}
