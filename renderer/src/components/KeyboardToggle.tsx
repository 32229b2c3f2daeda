// Shows or hides the on-screen keyboard. Like its keys, the toggle does not take
// focus on a tap, so the field being typed into stays focused.
import type { SyntheticEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';

const keepFocus = (event: SyntheticEvent) => event.preventDefault();

export function KeyboardToggle({ open, controls, onToggle }: { open: boolean; controls: string; onToggle(): void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button button-quiet"
      aria-pressed={open}
      aria-controls={open ? controls : undefined}
      onPointerDown={keepFocus}
      onMouseDown={keepFocus}
      onClick={onToggle}
    >
      <span className="icon icon-keyboard" aria-hidden="true" />
      {t(open ? 'keyboard.hide' : 'keyboard.show')}
    </button>
  );
}
