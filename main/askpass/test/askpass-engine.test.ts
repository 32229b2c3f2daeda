// The askpass engine speaks the protocol like the real engine: every event it
// emits is valid, the answer goes to `deliver` once, and never anywhere else.
import { describe, expect, it } from 'vitest';
import type { FlowOutcome } from '../../auth/api';
import { OUTCOME_CODES, parseEvent, request, type Event } from '../../protocol';
import { receiveUntrusted } from '../../auth/receive-untrusted';
import { AskpassEngine } from '../askpass-engine';

const SECRET = 'hunter2-Sekr3t';

function setup(deliverResult = true) {
  const events: Event[] = [];
  const outcomes: FlowOutcome[] = [];
  const delivered: string[] = [];
  const engine = new AskpassEngine(
    {
      prompt: '[sudo] password for alice: ',
      program: 'sudo',
      locale: 'en',
      theme: 'default',
      deliver: (answer) => {
        delivered.push(Buffer.from(answer).toString('utf8'));
        return deliverResult;
      },
      now: () => 1000,
    },
    { event: (e) => events.push(e), outcome: (o) => outcomes.push(o) },
  );
  return { engine, events, outcomes, delivered };
}

function promptOf(events: Event[]) {
  const prompt = events.find((e) => e.type === 'prompt');
  if (prompt?.type !== 'prompt') throw new Error('no prompt');
  return prompt;
}

describe('AskpassEngine', () => {
  it('answers hello with an elevate context naming the asking program', () => {
    const { engine, events } = setup();
    engine.receive(request({ type: 'hello' }));
    expect(events).toEqual([
      {
        v: 1,
        type: 'context',
        mode: 'elevate',
        users: [],
        sessions: [],
        power: [],
        elevate: { action: 'Answer a password prompt', program: 'sudo' },
        locale: 'en',
        theme: 'default',
        running: false,
      },
    ]);
  });

  it('asks the prompt from argv as an echo-off prompt and hands the answer over once', () => {
    const { engine, events, outcomes, delivered } = setup();
    engine.receive(request({ type: 'hello' }));
    engine.receive(request({ type: 'begin' }));
    const prompt = promptOf(events);
    expect(prompt).toMatchObject({ style: 'echo-off', text: '[sudo] password for alice: ', index: 0, count: 1 });
    expect(engine.busy).toBe(true);
    engine.receive(request({ type: 'answer', id: prompt.id, value: SECRET }));
    expect(delivered).toEqual([SECRET]);
    // Handed over, not approved: only sudo knows whether the answer was right.
    const reason = 'the answer was handed to the program that asked';
    expect(events.at(-1)).toEqual({ v: 1, type: 'outcome', ok: true, code: 'HANDED_OVER', reason });
    expect(outcomes).toEqual([{ mode: 'elevate', ok: true, code: 'HANDED_OVER', reason, durationMs: 0 }]);
    // A second answer, or a new begin, changes nothing.
    engine.receive(request({ type: 'answer', id: prompt.id, value: 'again' }));
    engine.receive(request({ type: 'begin' }));
    expect(delivered).toEqual([SECRET]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['refused', 'refused']);
  });

  it('takes the answer as bytes and zeroes them once handed over', () => {
    const { engine, events, delivered } = setup();
    engine.receive(request({ type: 'begin' }));
    const bytes = Buffer.from(SECRET, 'utf8');
    engine.receive(request({ type: 'answer', id: promptOf(events).id, value: bytes }));
    expect(delivered).toEqual([SECRET]);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it('zeroes the bytes of an answer it refuses', () => {
    const { engine, delivered } = setup();
    engine.receive(request({ type: 'begin' }));
    const bytes = Buffer.from(SECRET, 'utf8');
    engine.receive(request({ type: 'answer', id: 'not-the-prompt', value: bytes }));
    expect(delivered).toEqual([]);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it('reports an answer that could not be handed over as a failure', () => {
    const { engine, events, outcomes } = setup(false);
    engine.receive(request({ type: 'begin' }));
    engine.receive(request({ type: 'answer', id: promptOf(events).id, value: SECRET }));
    expect(outcomes[0]).toMatchObject({ ok: false, code: OUTCOME_CODES.internal });
  });

  it('cancel ends the flow with CANCELLED and delivers nothing', () => {
    const { engine, events, outcomes, delivered } = setup();
    engine.receive(request({ type: 'begin' }));
    engine.receive(request({ type: 'cancel' }));
    expect(delivered).toEqual([]);
    expect(outcomes[0]).toMatchObject({ ok: false, code: OUTCOME_CODES.cancelled });
    expect(events.at(-1)).toMatchObject({ type: 'outcome', ok: false, code: OUTCOME_CODES.cancelled });
  });

  it('re-sends the pending prompt to a UI that says hello again', () => {
    const { engine, events } = setup();
    engine.receive(request({ type: 'begin' }));
    const first = promptOf(events);
    events.length = 0;
    engine.receive(request({ type: 'hello' }));
    expect(events[0]).toMatchObject({ type: 'context', running: true });
    expect(events[1]).toEqual(first);
  });

  it('refuses what does not fit, without echoing a value', () => {
    const { engine, events, delivered } = setup();
    engine.receive({ v: 1, type: 'answer', id: 'nope', value: SECRET });
    engine.receive({ v: 1, type: 'begin', user: 'root' });
    receiveUntrusted(engine, { type: 'answer', value: SECRET });
    engine.receive(request({ type: 'power', action: 'reboot' }));
    engine.receive(request({ type: 'cancel' }));
    expect(delivered).toEqual([]);
    expect(events.every((e) => e.type === 'refused')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('emits only valid protocol events', () => {
    const { engine, events } = setup();
    engine.receive(request({ type: 'hello' }));
    engine.receive(request({ type: 'begin' }));
    engine.receive(request({ type: 'answer', id: promptOf(events).id, value: SECRET }));
    receiveUntrusted(engine, { nonsense: true });
    for (const e of events) expect(parseEvent(e), JSON.stringify(e)).toMatchObject({ ok: true });
  });

  it('takes nothing after close', async () => {
    const { engine, events } = setup();
    await engine.close();
    engine.receive(request({ type: 'hello' }));
    expect(events).toEqual([]);
  });
});
