// The end of this screen's work (unlocked, approved, declined). The heading takes
// focus so that a screen reader says what happened.
import { useEffect, useRef } from 'react';

export function Done({ title, tone }: { title: string; tone: 'success' | 'neutral' }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className={`done done-${tone}`}>
      <span className="done-mark" aria-hidden="true" />
      <h1 ref={heading} className="done-title" tabIndex={-1}>
        {title}
      </h1>
    </div>
  );
}
