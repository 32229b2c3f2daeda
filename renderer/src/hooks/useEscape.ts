import { useEffect } from 'react';

/** Calls `action` when Escape is pressed anywhere on the page (undefined: nothing). */
export function useEscape(action: (() => void) | undefined): void {
  useEffect(() => {
    if (action === undefined) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [action]);
}
