// The conversation broker on its own: batches in, protocol events out, answers
// matched by prompt id. (Through real libpam: conversation.test.ts.)
import { describe, expect, it } from 'vitest';
import type { Answer, PamMessage } from '../../../native';
import type { Event } from '../../protocol';
import { BinaryPromptRefused, ConversationBroker } from '../broker';
import type { BrokerOptions } from '../broker';

function makeBroker(overrides: Partial<BrokerOptions> = {}) {
  const events: Event[] = [];
  const logs: Record<string, unknown>[] = [];
  let batches = 0;
  let timeouts = 0;
  const broker = new ConversationBroker({
    promptTimeoutMs: 0,
    emit: (e) => events.push(e),
    nextBatchId: () => `b${++batches}`,
    onTimeout: () => timeouts++,
    log: (entry) => logs.push(entry),
    ...overrides,
  });
  const converse = (messages: PamMessage[], signal = new AbortController().signal) =>
    broker.conversation(messages, { signal }) as Answer[] | Promise<Answer[]>;
  return { broker, events, logs, converse, timeouts: () => timeouts };
}

const info = (text: string): PamMessage => ({ style: 'info', text });
const error = (text: string): PamMessage => ({ style: 'error', text });
const hidden = (text: string): PamMessage => ({ style: 'echo-off', text });
const shown = (text: string): PamMessage => ({ style: 'echo-on', text });

describe('ConversationBroker', () => {
  it('answers a batch of info and error messages at once, one null each', () => {
    const { converse, events } = makeBroker();
    const answers = converse([info('Welcome'), error('Caps Lock is on')]);
    expect(answers).toEqual([null, null]);
    expect(events.map((e) => e.type === 'message' && `${e.kind}:${e.text}`)).toEqual([
      'info:Welcome',
      'error:Caps Lock is on',
    ]);
  });

  it('gives each prompt of a batch an id, the batch id, its index and the count', async () => {
    const { converse, events } = makeBroker();
    void converse([info('Two codes'), hidden('Code A: '), shown('Code B: ')]);
    expect(events).toEqual([
      { v: 1, type: 'message', kind: 'info', text: 'Two codes' },
      { v: 1, type: 'prompt', id: 'b1.0', batch: 'b1', index: 0, count: 2, style: 'echo-off', text: 'Code A: ' },
      { v: 1, type: 'prompt', id: 'b1.1', batch: 'b1', index: 1, count: 2, style: 'echo-on', text: 'Code B: ' },
    ]);
  });

  it('hands the answers over only when every prompt of the batch is answered, in message order', async () => {
    const { broker, converse, events } = makeBroker();
    const pending = converse([hidden('A: '), info('between'), shown('B: ')]) as Promise<Answer[]>;
    let settled = false;
    void pending.then(() => (settled = true));
    expect(broker.answer('b1.1', 'bravo')).toBe('accepted');
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(broker.waiting).toBe(true);
    expect(broker.answer('b1.0', 'alpha')).toBe('accepted');
    expect(await pending).toEqual(['alpha', null, 'bravo']);
    expect(events.at(-1)).toEqual({ v: 1, type: 'busy' });
    expect(broker.waiting).toBe(false);
  });

  it('lets go of the answers once they are handed over', async () => {
    const { broker, converse } = makeBroker();
    const pending = converse([hidden('A: ')]) as Promise<Answer[]>;
    broker.answer('b1.0', 'alpha');
    const answers = await pending;
    await new Promise((r) => setImmediate(r));
    expect(answers).toEqual([null]);
  });

  it('refuses an answer for an unknown id or for a prompt already answered', () => {
    const { broker, converse } = makeBroker();
    expect(broker.answer('b1.0', 'x')).toBe('not-pending');
    void converse([hidden('A: '), hidden('B: ')]);
    expect(broker.answer('b9.0', 'x')).toBe('not-pending');
    expect(broker.answer('b1.0', 'x')).toBe('accepted');
    expect(broker.answer('b1.0', 'again')).toBe('not-pending');
    expect(broker.pendingPrompts().map((p) => p.id)).toEqual(['b1.1']);
  });

  it('takes answers given from inside the event callback', async () => {
    let broker!: ConversationBroker;
    const made = makeBroker({
      emit: (e) => {
        if (e.type === 'prompt') broker.answer(e.id, `answer to ${e.text}`);
      },
    });
    broker = made.broker;
    expect(await made.converse([hidden('A: '), hidden('B: ')])).toEqual(['answer to A: ', 'answer to B: ']);
  });

  it('refuses a batch with a binary prompt, showing nothing of it', () => {
    const { converse, events, logs } = makeBroker();
    expect(() => converse([info('x'), { style: 'binary', text: '', data: new Uint8Array([0, 0, 0, 5, 1]) }])).toThrow(
      BinaryPromptRefused,
    );
    expect(events).toEqual([]);
    expect(logs).toEqual([{ event: 'binary-prompt-refused', messages: 2 }]);
  });

  it('reports a batch left unanswered for the prompt timeout, and not one answered in time', async () => {
    const { broker, converse, timeouts } = makeBroker({ promptTimeoutMs: 50 });
    void converse([hidden('A: ')]);
    broker.answer('b1.0', 'quick');
    void converse([hidden('B: ')]);
    await new Promise((r) => setTimeout(r, 200));
    expect(timeouts()).toBe(1);
  });

  it('fails the waiting batch when the conversation is aborted', async () => {
    const { broker, converse } = makeBroker();
    const controller = new AbortController();
    const pending = converse([hidden('A: ')], controller.signal) as Promise<Answer[]>;
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    expect(broker.waiting).toBe(false);
    expect(broker.answer('b1.0', 'late')).toBe('not-pending');
  });

  it('fails the waiting batch on request', async () => {
    const { broker, converse } = makeBroker();
    const pending = converse([hidden('A: ')]) as Promise<Answer[]>;
    broker.failPending(new Error('closing'));
    await expect(pending).rejects.toThrow('closing');
  });
});
