import { useEffect, useState } from 'react';

const remainingUntil = (until: number | undefined): number => (until === undefined ? 0 : Math.max(0, until - Date.now()));

/** Milliseconds left until `until` (ms since the epoch), refreshed while above zero; 0 without one. */
export function useRemaining(until: number | undefined): number {
  const [remaining, setRemaining] = useState(() => remainingUntil(until));
  useEffect(() => {
    setRemaining(remainingUntil(until));
    if (until === undefined || until <= Date.now()) return;
    const timer = setInterval(() => {
      const next = remainingUntil(until);
      setRemaining(next);
      if (next === 0) clearInterval(timer);
    }, 200);
    return () => clearInterval(timer);
  }, [until]);
  return remaining;
}
