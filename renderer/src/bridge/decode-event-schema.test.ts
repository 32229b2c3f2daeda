// The page's event decoder held against the protocol's schema (main/protocol,
// zod), which the page itself does not carry: every event type the schema has,
// every field, whether it is optional, and every value of every closed set.
// A type, field or value added to the protocol fails here until the decoder
// knows it; the sets themselves come from main/protocol/vocabulary.ts on both sides.
import { describe, expect, it } from 'vitest';
import { eventSchema, parseEvent } from '../../../main/protocol/messages';
import type { Event } from '../protocol';
import { ev } from '../testing/events';
import { decodeEvent, EVENT_SHAPES } from './decode-event';

type FieldSchema = { def: { type: string }; unwrap?: () => FieldSchema; options?: readonly string[]; element?: FieldSchema };

/** The decoder's word for a schema field: its base type, '?' when optional, or the enum's values. */
function kindOf(field: FieldSchema): string | readonly string[] {
  const optional = field.def.type === 'optional';
  const base = optional ? field.unwrap!() : field;
  if (base.def.type === 'enum') return base.options!;
  const name = base.def.type === 'array' ? 'object' : base.def.type;
  return optional ? `${name}?` : name;
}

/** One valid event of each type, to vary one field at a time. */
const SAMPLES: Record<Event['type'], Event> = {
  context: ev.context({ users: [{ name: 'bob' }], sessions: [{ id: 's', name: 'S' }], power: ['reboot'] }),
  prompt: ev.prompt('b1', 0, 1, 'Password: '),
  message: ev.info('hello'),
  phase: ev.phase('authenticate'),
  busy: ev.busy(),
  delay: ev.delay(1_000),
  outcome: ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure'),
  refused: ev.refused('no', 'begin'),
};

const options = eventSchema.options as unknown as { shape: Record<string, FieldSchema> }[];
const typeOf = (option: (typeof options)[number]): Event['type'] => (option.shape.type as unknown as { value: Event['type'] }).value;
const schemaTypes = options.map(typeOf);

describe('the event decoder against the protocol schema', () => {
  it('knows exactly the event types the schema has', () => {
    expect(Object.keys(EVENT_SHAPES).sort()).toEqual([...schemaTypes].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...schemaTypes].sort());
  });

  for (const option of options) {
    const type = typeOf(option);
    const fields = Object.entries(option.shape).filter(([name]) => name !== 'v' && name !== 'type');

    it(`${type}: the same fields, the same optional ones, the same closed sets`, () => {
      const decoder = EVENT_SHAPES[type];
      expect(Object.keys(decoder).sort(), type).toEqual(fields.map(([name]) => name).sort());
      for (const [name, field] of fields) expect(decoder[name], `${type}.${name}`).toEqual(kindOf(field));
    });

    it(`${type}: takes what the schema takes, drops what it refuses`, () => {
      const sample = SAMPLES[type];
      expect(parseEvent(sample).ok).toBe(true);
      expect(decodeEvent(sample)).toEqual(sample);
      for (const [name, field] of fields) {
        const kind = kindOf(field);
        if (typeof kind === 'string') continue;
        for (const value of kind) {
          const event = { ...sample, [name]: value };
          expect(parseEvent(event).ok, `${type}.${name} = ${value}`).toBe(true);
          expect(decodeEvent(event), `${type}.${name} = ${value}`).toEqual(event);
        }
        const unknown = { ...sample, [name]: 'no-such-value' };
        expect(parseEvent(unknown).ok).toBe(false);
        expect(decodeEvent(unknown), `${type}.${name}: a value outside the set`).toBeUndefined();
      }
    });
  }

  it('context.power: every power action of the schema, nothing else', () => {
    const context = options.find((o) => typeOf(o) === 'context')!;
    const actions = context.shape.power!.element!.options!;
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      const event = ev.context({ power: [action as never] });
      expect(parseEvent(event).ok, action).toBe(true);
      expect(decodeEvent(event), action).toEqual(event);
    }
    const unknown = { ...ev.context(), power: ['no-such-action'] };
    expect(parseEvent(unknown).ok).toBe(false);
    expect(decodeEvent(unknown)).toBeUndefined();
  });
});
