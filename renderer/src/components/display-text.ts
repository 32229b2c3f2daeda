// Module and engine text is shown as sent, as text (React escapes it; nothing is
// ever parsed as HTML). Only absurd lengths are cut, so that one runaway message
// cannot push the prompt off the screen.
export const MAX_DISPLAY_CHARS = 2000;

export function displayText(text: string): string {
  return text.length > MAX_DISPLAY_CHARS ? `${text.slice(0, MAX_DISPLAY_CHARS)}…` : text;
}
