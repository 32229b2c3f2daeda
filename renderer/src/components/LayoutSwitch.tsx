// Which keyboard layout the on-screen keyboard shows ("DE"), and, where the
// system has several, a switch to the next one. Like the keyboard's keys, it
// does not take focus on a tap.
import type { SyntheticEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { layoutName, type KeyboardLayout } from '../keyboard/layouts';

const keepFocus = (event: SyntheticEvent) => event.preventDefault();

interface LayoutSwitchProps {
  layouts: KeyboardLayout[];
  current: number;
  onSwitch(next: number): void;
}

export function LayoutSwitch({ layouts, current, onSwitch }: LayoutSwitchProps) {
  const { t, tag } = useI18n();
  const layout = layouts[current] ?? layouts[0];
  if (layout === undefined) return null;
  const name = layoutName(layout.id, tag);
  if (layouts.length < 2) {
    return (
      <span className="layout-indicator" role="img" aria-label={t('keyboard.layout', { name })} title={name}>
        <span aria-hidden="true">{layout.short}</span>
      </span>
    );
  }
  const next = (current + 1) % layouts.length;
  const nextName = layoutName(layouts[next]!.id, tag);
  return (
    <button
      type="button"
      className="button button-quiet layout-indicator"
      aria-label={t('keyboard.switchLayout', { name, next: nextName })}
      title={name}
      onPointerDown={keepFocus}
      onMouseDown={keepFocus}
      onClick={() => onSwitch(next)}
    >
      <span className="icon icon-keyboard" aria-hidden="true" />
      <span aria-hidden="true">{layout.short}</span>
    </button>
  );
}
