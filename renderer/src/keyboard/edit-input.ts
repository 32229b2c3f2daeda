// What the on-screen keyboard does to the input it types into. The text goes
// straight into the DOM input, like a physical key press: never through React state.

/** Replaces the selection (or inserts at the caret) with `text`. */
export function insertText(input: HTMLInputElement, text: string): void {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  input.setRangeText(text, start, end, 'end');
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Deletes the selection, or the character before the caret. */
export function deleteBackward(input: HTMLInputElement): void {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  if (start === end && start === 0) return;
  const from = start === end ? previousCharStart(input.value, start) : start;
  input.setRangeText('', from, end, 'end');
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

// Steps back over a whole UTF-16 surrogate pair, never half of one.
function previousCharStart(value: string, caret: number): number {
  const low = value.charCodeAt(caret - 1);
  const high = value.charCodeAt(caret - 2);
  const pair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return caret - (pair ? 2 : 1);
}

/** Submits the input's form the way Enter would. */
export function submitForm(input: HTMLInputElement): void {
  input.form?.requestSubmit();
}
