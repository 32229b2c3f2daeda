// Which input the on-screen keyboard types into: the focused one if it accepts
// typing, otherwise the one focused last (a tap on a key must not lose it).
const TARGET_SELECTOR = 'input[data-osk-target]';

export interface OskTarget {
  current(): HTMLInputElement | undefined;
  /** Stops following focus. */
  dispose(): void;
}

export function followOskTarget(doc: Document): OskTarget {
  let last: HTMLInputElement | undefined;
  const usable = (el: Element | null | undefined): el is HTMLInputElement =>
    el instanceof HTMLInputElement && el.matches(TARGET_SELECTOR) && el.isConnected && !el.disabled;
  const onFocusIn = (event: FocusEvent) => {
    if (usable(event.target as Element | null)) last = event.target as HTMLInputElement;
  };
  doc.addEventListener('focusin', onFocusIn);
  return {
    current() {
      if (usable(doc.activeElement)) return doc.activeElement;
      if (usable(last)) return last;
      const first = doc.querySelector(TARGET_SELECTOR);
      return usable(first) ? first : undefined;
    },
    dispose: () => doc.removeEventListener('focusin', onFocusIn),
  };
}
