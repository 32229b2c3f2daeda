// The agent's requests in turn, with a handler at the module's own seam; the real
// agent shows two requests at once in pkexec.test.ts.
import { describe, expect, it } from 'vitest';
import type { PresentedRequest } from '../presentation';
import { POLKIT_ERRORS, RequestQueue, type RequestResult } from '../request-queue';

const request = (cookie: string): PresentedRequest => ({
  id: `id-${cookie}`,
  actionId: 'org.example.run',
  message: 'm',
  program: 'p',
  details: [],
  identities: [{ uid: 1, name: 'alice' }],
  cookie,
});

/** A handler whose requests the test ends by hand. */
function manualHandler() {
  const shown: { request: PresentedRequest; signal: AbortSignal; end(result: RequestResult): void; fail(error: Error): void }[] = [];
  const handler = (r: PresentedRequest, signal: AbortSignal) =>
    new Promise<RequestResult>((resolve, reject) => {
      shown.push({ request: r, signal, end: resolve, fail: reject });
      signal.addEventListener('abort', () => resolve('dismissed'));
    });
  return { shown, handler };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the request queue', () => {
  it('shows one request at a time, in order, and replies to each as it ends', async () => {
    const { shown, handler } = manualHandler();
    const queue = new RequestQueue(handler);
    const first = queue.begin(request('a'));
    const second = queue.begin(request('b'));
    await tick();
    expect(shown.map((s) => s.request.cookie)).toEqual(['a']);
    expect(queue.size).toBe(2);
    shown[0]!.end('authenticated');
    expect(await first).toEqual({ ok: true });
    await tick();
    expect(shown.map((s) => s.request.cookie)).toEqual(['a', 'b']);
    shown[1]!.end('not-authorized');
    // polkitd decides "not authorized" itself: the agent replies without an error.
    expect(await second).toEqual({ ok: true });
  });

  it('replies Cancelled when the person dismissed the request', async () => {
    const { shown, handler } = manualHandler();
    const queue = new RequestQueue(handler);
    const reply = queue.begin(request('a'));
    await tick();
    shown[0]!.end('dismissed');
    expect(await reply).toEqual({ ok: false, error: POLKIT_ERRORS.cancelled, message: 'the request was dismissed' });
  });

  it('cancels by cookie: the request shown is aborted, one waiting is dropped unseen', async () => {
    const { shown, handler } = manualHandler();
    const queue = new RequestQueue(handler);
    const first = queue.begin(request('a'));
    const second = queue.begin(request('b'));
    const third = queue.begin(request('c'));
    await tick();
    expect(queue.cancel('b')).toBe(true);
    expect(await second).toMatchObject({ ok: false, error: POLKIT_ERRORS.cancelled });
    expect(queue.cancel('a')).toBe(true);
    expect(shown[0]!.signal.aborted).toBe(true);
    expect(await first).toMatchObject({ ok: false, error: POLKIT_ERRORS.cancelled });
    await tick();
    expect(shown.map((s) => s.request.cookie)).toEqual(['a', 'c']);
    expect(queue.cancel('nope')).toBe(false);
    queue.cancelAll('stopping');
    expect(await third).toMatchObject({ ok: false, error: POLKIT_ERRORS.cancelled });
    expect(queue.size).toBe(0);
  });

  it('refuses a second request with the same cookie, and more than the queue holds', async () => {
    const { handler } = manualHandler();
    const queue = new RequestQueue(handler, { maxWaiting: 1 });
    void queue.begin(request('a'));
    await tick();
    expect(await queue.begin(request('a'))).toEqual({
      ok: false,
      error: POLKIT_ERRORS.failed,
      message: 'an authentication request with this cookie is already pending',
    });
    void queue.begin(request('b'));
    expect(await queue.begin(request('c'))).toMatchObject({ ok: false, error: POLKIT_ERRORS.failed, message: 'too many authentication requests are waiting' });
  });

  it('replies Failed when the request could not be shown, and goes on with the next', async () => {
    const { shown, handler } = manualHandler();
    const logs: Record<string, unknown>[] = [];
    const queue = new RequestQueue(handler, { log: (entry) => logs.push(entry) });
    const first = queue.begin(request('a'));
    const second = queue.begin(request('b'));
    await tick();
    shown[0]!.fail(new Error('no display'));
    expect(await first).toEqual({ ok: false, error: POLKIT_ERRORS.failed, message: 'the request could not be shown: no display' });
    await tick();
    shown[1]!.end('authenticated');
    expect(await second).toEqual({ ok: true });
    expect(JSON.stringify(logs)).not.toContain('"a"');
    expect(logs.map((entry) => entry.result ?? 'shown')).toEqual(['shown', 'failed', 'shown', 'authenticated']);
  });
});
