// Which window each display gets, and what changes when displays come and go.
// Pure: the adapter (display-windows.ts) feeds it screen.getAllDisplays() and
// applies the changes. Every display is covered; the primary one carries the
// conversation, the others a cover.
import type { Display, Rectangle } from 'electron';

export type DisplayInfo = Pick<Display, 'id' | 'bounds'>;

export type WindowRole = 'conversation' | 'cover';

export interface WindowSpec {
  displayId: number;
  role: WindowRole;
  bounds: Rectangle;
}

/**
 * One window per display. The conversation goes to the primary display, or to
 * the first one when the primary is not among them (it can briefly be missing
 * while outputs change).
 */
export function planWindows(displays: readonly DisplayInfo[], primaryId: number | undefined): WindowSpec[] {
  if (displays.length === 0) return [];
  const conversationId = displays.some((d) => d.id === primaryId) ? primaryId : displays[0]!.id;
  const seen = new Set<number>();
  const plan: WindowSpec[] = [];
  for (const display of displays) {
    if (seen.has(display.id)) continue;
    seen.add(display.id);
    plan.push({
      displayId: display.id,
      role: display.id === conversationId ? 'conversation' : 'cover',
      bounds: { ...display.bounds },
    });
  }
  return plan;
}

/**
 * What to do to get from the current windows to the planned ones. Apply in this
 * order so that no display is ever left uncovered: create, move, replace, remove.
 */
export interface WindowChanges {
  /** Displays without a window: create one at once. */
  create: WindowSpec[];
  /** Same display and role, new bounds (resolution or arrangement changed). */
  move: WindowSpec[];
  /** Same display, other role (the primary moved): replace the window. */
  replace: WindowSpec[];
  /** Displays that are gone: close their windows (after the others exist). */
  remove: number[];
}

export function sameBounds(a: Rectangle, b: Rectangle): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

export function diffWindows(current: readonly WindowSpec[], next: readonly WindowSpec[]): WindowChanges {
  const changes: WindowChanges = { create: [], move: [], replace: [], remove: [] };
  // No display at all is a transient state (outputs being reconfigured, lid
  // closing): keep every window rather than uncover anything.
  if (next.length === 0) return changes;
  const byDisplay = new Map(current.map((spec) => [spec.displayId, spec]));
  for (const spec of next) {
    const existing = byDisplay.get(spec.displayId);
    if (existing === undefined) changes.create.push(spec);
    else if (existing.role !== spec.role) changes.replace.push(spec);
    else if (!sameBounds(existing.bounds, spec.bounds)) changes.move.push(spec);
  }
  const planned = new Set(next.map((spec) => spec.displayId));
  for (const spec of current) if (!planned.has(spec.displayId)) changes.remove.push(spec.displayId);
  return changes;
}
