// Answers read from a stream that is not a terminal (the unit behind `--json`
// input on a pipe): one line per prompt, read only while an answer is awaited.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineAnswers } from '../line-answers';
import type { PromptShown } from '../report';

const prompt: PromptShown = { id: 'p1', style: 'echo-off', text: 'Password: ' };
/** The next line as text (the source hands out bytes). */
const read = (answers: LineAnswers, signal = new AbortController().signal) =>
  answers.read(prompt, signal, () => undefined).then((line) => (line === null ? null : line.toString('utf8')));

describe('LineAnswers', () => {
  it('gives one line per read, across chunk boundaries, without line endings', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    input.write('fir');
    input.write('st\r\nsecond\nthi');
    input.end('rd');
    expect(await read(answers)).toBe('first');
    expect(await read(answers)).toBe('second');
    expect(await read(answers)).toBe('third');
    expect(await read(answers)).toBeNull();
    expect(await read(answers)).toBeNull();
  });

  it('keeps empty lines as empty answers', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    input.end('\n\nx\n');
    expect([await read(answers), await read(answers), await read(answers), await read(answers)]).toEqual(['', '', 'x', null]);
  });

  it('shows the prompt before waiting for its line', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    const shown: string[] = [];
    const pending = answers.read(prompt, new AbortController().signal, () => shown.push('shown'));
    expect(shown).toEqual(['shown']);
    input.end('answer\n');
    expect((await pending)?.toString('utf8')).toBe('answer');
  });

  it('hands out lines as bytes and zeroes every chunk it read', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    const chunk = Buffer.from('secret-line\nnext\n');
    input.write(chunk);
    const line = await answers.read(prompt, new AbortController().signal, () => undefined);
    expect(Buffer.isBuffer(line)).toBe(true);
    expect(line?.toString('utf8')).toBe('secret-line');
    expect(chunk.every((b) => b === 0)).toBe(true);
    // Lines still queued are zeroed when the source closes.
    answers.close();
  });

  it('stops waiting when the signal aborts; the next line goes to the next read', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    const controller = new AbortController();
    const pending = read(answers, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(pending).rejects.toThrow('timed out');
    input.end('late\n');
    expect(await read(answers)).toBe('late');
  });

  it('cuts an endless line (it is refused as an answer anyway) instead of buffering it all', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    input.end(`${'x'.repeat(200_000)}\nnext\n`);
    const long = await read(answers);
    expect(long?.length).toBe(64 * 1024);
    expect(await read(answers)).toBe('next');
  });

  it('leaves unread input in the stream while nobody asks', async () => {
    const input = new PassThrough();
    const answers = new LineAnswers(input);
    input.write('one\ntwo\n');
    expect(await read(answers)).toBe('one');
    expect(input.isPaused()).toBe(true);
    answers.close();
    expect(await read(answers)).toBeNull();
  });
});
