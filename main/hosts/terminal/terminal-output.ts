// The terminal a person answers prompts at. Prompts and echo go to the terminal
// itself (/dev/tty), never to stdout, so that redirecting stdout cannot capture
// what was typed at an echo-on prompt.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface TerminalOutput {
  write(text: string): void;
  close(): void;
}

export function openTerminalOutput(): TerminalOutput {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'w');
  } catch {
    // No controlling terminal although stdin is one: fall back to stderr, which
    // is never the place results are read from.
    fd = undefined;
  }
  return {
    write(text) {
      try {
        writeSync(fd ?? 2, text);
      } catch {
        // A hung-up terminal: nobody is there to read it.
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
