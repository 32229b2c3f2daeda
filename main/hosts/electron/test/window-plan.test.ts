// Window planning per display and on hotplug, on displays typed as Electron's.
import type { Display, Rectangle } from 'electron';
import { describe, expect, it } from 'vitest';
import { diffWindows, planWindows, type DisplayInfo, type WindowSpec } from '../window-plan';

const rect = (x: number, y: number, width = 1920, height = 1080): Rectangle => ({ x, y, width, height });
const display = (id: number, bounds: Rectangle): DisplayInfo => ({ id, bounds }) satisfies Pick<Display, 'id' | 'bounds'>;

const laptop = display(1, rect(0, 0, 1366, 768));
const monitor = display(2, rect(1366, 0));
const projector = display(3, rect(3286, 0, 1280, 720));

/** Applies changes to a list of windows the way DisplayWindows does. */
function apply(current: WindowSpec[], next: WindowSpec[]): WindowSpec[] {
  const changes = diffWindows(current, next);
  const byDisplay = new Map(current.map((s) => [s.displayId, s]));
  for (const spec of [...changes.create, ...changes.move, ...changes.replace]) byDisplay.set(spec.displayId, spec);
  for (const id of changes.remove) byDisplay.delete(id);
  return [...byDisplay.values()];
}

describe('planWindows', () => {
  it('gives every display a window: the conversation on the primary, covers elsewhere', () => {
    expect(planWindows([laptop, monitor, projector], 2)).toEqual([
      { displayId: 1, role: 'cover', bounds: laptop.bounds },
      { displayId: 2, role: 'conversation', bounds: monitor.bounds },
      { displayId: 3, role: 'cover', bounds: projector.bounds },
    ]);
  });

  it('puts the conversation on the first display when the primary is not among them', () => {
    expect(planWindows([laptop, monitor], 99).map((s) => s.role)).toEqual(['conversation', 'cover']);
    expect(planWindows([laptop, monitor], undefined).map((s) => s.role)).toEqual(['conversation', 'cover']);
  });

  it('has exactly one conversation, even with duplicate display ids', () => {
    const plan = planWindows([laptop, laptop, monitor], 1);
    expect(plan).toHaveLength(2);
    expect(plan.filter((s) => s.role === 'conversation')).toHaveLength(1);
  });

  it('plans nothing for no displays', () => {
    expect(planWindows([], 1)).toEqual([]);
  });

  it('copies the bounds instead of sharing them with the display object', () => {
    const plan = planWindows([laptop], 1);
    expect(plan[0]!.bounds).not.toBe(laptop.bounds);
  });
});

describe('diffWindows (hotplug)', () => {
  const start = planWindows([laptop], 1);

  it('creates a cover for a display plugged in, and leaves the conversation alone', () => {
    const changes = diffWindows(start, planWindows([laptop, monitor], 1));
    expect(changes).toEqual({
      create: [{ displayId: 2, role: 'cover', bounds: monitor.bounds }],
      move: [],
      replace: [],
      remove: [],
    });
  });

  it('removes the window of an unplugged display', () => {
    const two = planWindows([laptop, monitor], 1);
    expect(diffWindows(two, planWindows([laptop], 1))).toEqual({ create: [], move: [], replace: [], remove: [2] });
  });

  it('moves a window whose display changed resolution or position', () => {
    const resized = display(1, rect(0, 0, 1920, 1200));
    expect(diffWindows(start, planWindows([resized], 1))).toEqual({
      create: [],
      move: [{ displayId: 1, role: 'conversation', bounds: resized.bounds }],
      replace: [],
      remove: [],
    });
  });

  it('moves the conversation to the new primary when the primary is unplugged', () => {
    const docked = planWindows([laptop, monitor], 2);
    const changes = diffWindows(docked, planWindows([laptop], 1));
    expect(changes.replace).toEqual([{ displayId: 1, role: 'conversation', bounds: laptop.bounds }]);
    expect(changes.remove).toEqual([2]);
    expect(changes.create).toEqual([]);
  });

  it('swaps roles when the primary changes between two connected displays', () => {
    const before = planWindows([laptop, monitor], 1);
    const changes = diffWindows(before, planWindows([laptop, monitor], 2));
    expect(changes.replace.map((s) => [s.displayId, s.role])).toEqual([
      [1, 'cover'],
      [2, 'conversation'],
    ]);
  });

  it('keeps every window when the display list is momentarily empty', () => {
    const two = planWindows([laptop, monitor], 1);
    expect(diffWindows(two, [])).toEqual({ create: [], move: [], replace: [], remove: [] });
  });

  it('changes nothing when nothing changed', () => {
    expect(diffWindows(start, planWindows([laptop], 1))).toEqual({ create: [], move: [], replace: [], remove: [] });
  });

  it('always ends with one window per display and one conversation, through a sequence of hotplugs', () => {
    const steps: [DisplayInfo[], number][] = [
      [[laptop], 1],
      [[laptop, monitor], 1],
      [[laptop, monitor, projector], 2],
      [[], 2],
      [[monitor, projector], 2],
      [[projector], 3],
      [[laptop, projector], 1],
    ];
    let windows: WindowSpec[] = [];
    let lastNonEmpty: DisplayInfo[] = [];
    for (const [displays, primary] of steps) {
      windows = apply(windows, planWindows(displays, primary));
      if (displays.length > 0) lastNonEmpty = displays;
      expect(windows.map((w) => w.displayId).sort()).toEqual(lastNonEmpty.map((d) => d.id).sort());
      expect(windows.filter((w) => w.role === 'conversation')).toHaveLength(1);
    }
  });
});
