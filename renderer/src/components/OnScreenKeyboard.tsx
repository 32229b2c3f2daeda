// An on-screen keyboard for touch-only kiosks, in the system's keyboard layout.
// Its keys never take focus (a tap would otherwise blur the field being typed
// into), and they are not in the Tab order: keyboard users have a keyboard.
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/catalogs/en';
import { deleteBackward, insertText, submitForm } from '../keyboard/edit-input';
import { typed, type Key, type KeyboardLayout, type Layer, type SpecialKey } from '../keyboard/layouts';
import { followOskTarget, type OskTarget } from '../keyboard/osk-target';

// Both: a mouse press moves focus on mousedown, a touch on its compatibility events.
const keepFocus = (event: SyntheticEvent) => event.preventDefault();

export function OnScreenKeyboard({ id, layout }: { id: string; layout: KeyboardLayout }) {
  const { t } = useI18n();
  const [layer, setLayer] = useState<Layer>('letters');
  const [shift, setShift] = useState(false);
  const target = useRef<OskTarget | undefined>(undefined);

  useEffect(() => {
    const following = followOskTarget(document);
    target.current = following;
    return () => following.dispose();
  }, []);

  const press = (key: Key) => {
    if (key.type === 'special' && key.key === 'shift') return setShift((on) => !on);
    if (key.type === 'special' && key.key === 'layer') return setLayer((l) => (l === 'letters' ? 'symbols' : 'letters'));
    const input = target.current?.current();
    if (input === undefined) return;
    input.focus();
    if (key.type === 'char') {
      insertText(input, typed(key.char, shift));
      setShift(false);
    } else if (key.key === 'space') {
      insertText(input, ' ');
    } else if (key.key === 'backspace') {
      deleteBackward(input);
    } else if (key.key === 'enter') {
      submitForm(input);
    }
  };

  const specialLabel = (key: SpecialKey): MessageKey =>
    key === 'layer' ? (layer === 'letters' ? 'keyboard.symbols' : 'keyboard.letters') : (`keyboard.${key}` as const);

  return (
    <div id={id} className="osk" role="group" aria-label={t('keyboard.label')} data-layout={layout.id}>
      {layout.layers[layer].map((row, rowIndex) => (
        <div key={`${layout.id}-${layer}-${rowIndex}`} className="osk-row">
          {row.map((key) =>
            key.type === 'char' ? (
              <button
                key={key.char}
                type="button"
                tabIndex={-1}
                className="osk-key"
                onPointerDown={keepFocus}
                onMouseDown={keepFocus}
                onClick={() => press(key)}
              >
                {typed(key.char, shift)}
              </button>
            ) : (
              <button
                key={key.key}
                type="button"
                tabIndex={-1}
                className={`osk-key osk-key-${key.key}`}
                onPointerDown={keepFocus}
                onMouseDown={keepFocus}
                onClick={() => press(key)}
                aria-pressed={key.key === 'shift' ? shift : undefined}
              >
                {t(specialLabel(key.key))}
              </button>
            ),
          )}
        </div>
      ))}
    </div>
  );
}
