// What an answer line may be: the protocol's own rules for `answer` values (no
// NUL, at most MAX_ANSWER_BYTES of UTF-8), so that OP mode, which hands answers to
// the addon directly, refuses exactly what the engine would refuse.
import { parseRequest, request } from '../../protocol';

/** Why `value` cannot be an answer (never quoting it), or undefined if it can. */
export function answerProblem(value: Uint8Array): string | undefined {
  const parsed = parseRequest(request({ type: 'answer', id: 'check', value }));
  return parsed.ok ? undefined : parsed.error;
}
