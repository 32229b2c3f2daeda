// The end of this screen's work (unlocked, approved, declined): a check mark or a
// cross, and the heading, which takes focus so that a screen reader says what happened.
import { useEffect, useRef } from 'react';

export function Done({ title, tone }: { title: string; tone: 'success' | 'neutral' }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className={`done done-${tone}`}>
      <svg className="done-mark" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <circle className="done-mark-ring" cx="24" cy="24" r="21" />
        {tone === 'success' ? (
          <path className="done-mark-sign" d="M14.5 24.5l6.5 6.5 12.5-13.5" />
        ) : (
          <path className="done-mark-sign" d="M17 17l14 14M31 17l-14 14" />
        )}
      </svg>
      <h1 ref={heading} className="done-title" tabIndex={-1}>
        {title}
      </h1>
    </div>
  );
}
