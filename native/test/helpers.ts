// Conversation functions for the addon's tests: answer prompts from a script and
// keep a transcript of everything the modules said.
import type { Answer, Conversation, PamMessage } from '../index';

export interface Recorder {
  conversation: Conversation;
  /** Every message, in order, as 'STYLE text'. */
  transcript: string[];
  /** Batch sizes of every conversation call. */
  batches: number[];
}

/**
 * Answers each prompt with the next value of `answers` (in order); info and error
 * messages get null. Runs out: the conversation throws (the module sees PAM_CONV_ERR).
 */
export function scripted(answers: Answer[] = []): Recorder {
  const queue = [...answers];
  const transcript: string[] = [];
  const batches: number[] = [];
  const conversation: Conversation = (messages: PamMessage[]) => {
    batches.push(messages.length);
    return messages.map((m) => {
      transcript.push(`${m.style} ${m.text}`);
      if (m.style === 'info' || m.style === 'error') return null;
      if (queue.length === 0) throw new Error(`no answer left for '${m.text}'`);
      return queue.shift()!;
    });
  };
  return { conversation, transcript, batches };
}
