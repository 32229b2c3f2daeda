// The host boundary of every engine: a UI's request arrives as untrusted JSON (a
// WebSocket frame, an IPC payload, a frame on the engine socket) and is parsed
// here, once (main/protocol's parseRequest, the zod schema). The engine takes the
// typed value; what fails the parse goes to the engine's refusal, which answers
// and logs it like every other refusal.
import { parseRequest, wipeByteAnswer, type Request } from '../protocol';
import type { Engine } from './api';

/**
 * Parses `input` and hands it to `engine`. `before` sees a valid request before
 * the engine does (the Electron shell watches for cancel there).
 */
export function receiveUntrusted(engine: Engine, input: unknown, before?: (request: Request) => void): void {
  const parsed = parseRequest(input);
  if (!parsed.ok) {
    // The sender's bytes of a refused answer are zeroed at once (the engine owns them).
    wipeByteAnswer(input);
    engine.refuse({ ...(parsed.type === undefined ? {} : { type: parsed.type }), error: parsed.error });
    return undefined;
  }
  before?.(parsed.value);
  engine.receive(parsed.value);
}
