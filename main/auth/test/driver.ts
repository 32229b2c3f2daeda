// Drives an engine the way a UI does, and keeps everything it said: events,
// PAM call results, outcomes and log lines.
import { request } from '../../protocol';
import type { Event, EventOf, EventType, Request } from '../../protocol';
import type { CallResult, Engine, EngineOptions, FlowOutcome } from '../api';
import { keepLines, recordAnswer } from '../../../lab/test-logs';
import { SeatEngine, systemDeps } from '../engine';
import { receiveUntrusted } from '../receive-untrusted';
import type { EngineDeps } from '../engine';

export interface Driver {
  engine: Engine;
  events: Event[];
  results: CallResult[];
  outcomes: FlowOutcome[];
  logs: string[];
  send(body: Omit<Request, 'v'> | unknown): void;
  /** The next event of `type` after the last one a `next` returned (any type). */
  next<T extends EventType>(type: T, timeoutMs?: number): Promise<EventOf<T>>;
  /** Waits for the next prompt and answers it. */
  answerNext(value: string): Promise<EventOf<'prompt'>>;
  /** Events since the start as short lines ('prompt echo-off Password: ', 'message info ...'). */
  transcript(): string[];
  close(): Promise<void>;
}

export const DEFAULT_OPTIONS = {
  users: [],
  promptTimeoutMs: 0,
  power: [],
  locale: 'en',
  theme: 'default',
} satisfies Partial<EngineOptions>;

type Options = Pick<EngineOptions, 'mode' | 'service'> & Partial<EngineOptions>;

export function drive(options: Options, deps: Partial<EngineDeps> = {}): Driver {
  const events: Event[] = [];
  const results: CallResult[] = [];
  const outcomes: FlowOutcome[] = [];
  const logs: string[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  const engine = new SeatEngine(
    { ...DEFAULT_OPTIONS, ...options },
    {
      event(e) {
        events.push(e);
        for (const wake of [...waiters]) wake();
      },
      result: (r) => results.push(r),
      outcome: (o) => outcomes.push(o),
      log: (line) => logs.push(line),
    },
    { ...systemDeps(), ...deps },
  );

  const next = <T extends EventType>(type: T, timeoutMs = 15_000): Promise<EventOf<T>> =>
    new Promise((resolve, reject) => {
      const look = () => {
        for (let i = cursor; i < events.length; i++) {
          const e = events[i]!;
          if (e.type === type) {
            cursor = i + 1;
            waiters.delete(look);
            clearTimeout(timer);
            resolve(e as EventOf<T>);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`no '${type}' event within ${timeoutMs} ms; events: ${JSON.stringify(events.slice(cursor))}`));
      }, timeoutMs);
      waiters.add(look);
      look();
    });

  return {
    engine,
    events,
    results,
    outcomes,
    logs,
    send(body) {
      const value = (body as { type?: unknown; value?: unknown } | null)?.value;
      if ((body as { type?: unknown } | null)?.type === 'answer' && (typeof value === 'string' || value instanceof Uint8Array)) recordAnswer(value);
      // Through the host boundary, as every host hands a request over.
      receiveUntrusted(
        engine,
        body !== null && typeof body === 'object' && !('v' in body) ? request(body as Omit<Request, 'v'> & { type: Request['type'] }) : body,
      );
    },
    next,
    async answerNext(value) {
      const prompt = await next('prompt');
      if (prompt.style === 'echo-off') recordAnswer(value);
      engine.receive(request({ type: 'answer', id: prompt.id, value }));
      return prompt;
    },
    transcript: () => events.map(describe).filter((line): line is string => line !== undefined),
    close: async () => {
      await engine.close();
      keepLines('engine-log', logs);
    },
  };
}

function describe(e: Event): string | undefined {
  switch (e.type) {
    case 'prompt':
      return `prompt ${e.style} ${e.text}`;
    case 'message':
      return `message ${e.kind} ${e.text}`;
    case 'phase':
      return `phase ${e.name}`;
    case 'outcome':
      return `outcome ${e.ok ? 'ok' : 'failed'} ${e.code ?? ''}`.trim();
    case 'delay':
      return `delay ${e.reason}`;
    case 'refused':
      return `refused ${e.request ?? '?'}`;
    default:
      return e.type;
  }
}

/** Parsed log lines of one event kind. */
export function logEntries(logs: string[], event: string): Record<string, unknown>[] {
  return logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((entry) => entry.event === event);
}
