// Carries out nextAutoBegin: begins a flow when the state says so, waiting out any
// delay the engine announced first.
import { useLayoutEffect, useState } from 'react';
import { nextAutoBegin } from '../state/next-step';
import type { ScreenState } from '../state/screen-state';

export function useAutoBegin(state: ScreenState, begin: (user?: string, session?: string) => void): void {
  // Bumped when a wait is over, so the effect looks again.
  const [wakeups, setWakeups] = useState(0);
  // A layout effect: the begin goes out as soon as the state is committed, not a
  // frame later after paint (part of the time to the first prompt).
  useLayoutEffect(() => {
    const next = nextAutoBegin(state, Date.now());
    if (next === undefined) return;
    const wait = next.at - Date.now();
    if (wait <= 0) {
      begin(next.user, next.session);
      return;
    }
    const timer = setTimeout(() => setWakeups((n) => n + 1), wait);
    return () => clearTimeout(timer);
  }, [state, wakeups, begin]);
}
