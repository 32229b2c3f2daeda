// The conversation bridge with stock modules: wrong answer counts, failures of the
// conversation function, timeouts, abort, refused answers. (Edges no stock module
// reaches are in script-conversation.test.ts.)
import { describe, expect, it, vi } from 'vitest';
import { PamError, PamTransaction, type Answer, type Conversation } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { matrixService, writePassdb } from '../../lab/matrix';

const SECRET = 'hunter2-very-secret';

function matrix(options = ''): string {
  const passdb = writePassdb([{ user: 'alice', password: SECRET, service: 'matrix' }]);
  return makeConfDir({ matrix: matrixService(passdb, options) }).dir;
}

async function authenticateWith(
  conversation: Conversation,
  extra: { conversationTimeoutMs?: number; matrixOptions?: string } = {},
) {
  const { matrixOptions, ...options } = extra;
  const tx = await PamTransaction.start({
    service: 'matrix',
    user: 'alice',
    confDir: matrix(matrixOptions),
    conversation,
    ...options,
  });
  const error = await tx.authenticate().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { tx, error };
}

/** Nothing about a refused answer may carry the answer itself. */
function expectNoSecret(error: unknown, secret = SECRET): void {
  const seen = new Set<unknown>();
  const texts: string[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null && !seen.has(e)) {
    seen.add(e);
    if (e instanceof Error) {
      texts.push(e.message, String(e.stack), JSON.stringify(e));
      texts.push(String((e as PamError).conversationError ?? ''));
      e = e.cause;
    } else {
      texts.push(String(e));
      e = undefined;
    }
  }
  for (const text of texts) expect(text).not.toContain(secret.slice(0, 8));
}

describe('conversation answers', () => {
  it('accepts a Uint8Array answer as the raw password bytes', async () => {
    const { tx, error } = await authenticateWith((m) =>
      m.map((x) => (x.style === 'echo-off' ? new TextEncoder().encode(SECRET) : null)),
    );
    expect(error).toBeUndefined();
    await tx.end();
  });

  it('accepts an async conversation function', async () => {
    const { tx, error } = await authenticateWith(async (m) => {
      await new Promise((r) => setTimeout(r, 20));
      return m.map((x) => (x.style === 'echo-off' ? SECRET : null));
    });
    expect(error).toBeUndefined();
    await tx.end();
  });

  it.each([
    ['too few answers', [] as Answer[], /expected 1 answers \(one per message\), got 0/],
    ['too many answers', [SECRET, SECRET] as Answer[], /expected 1 answers \(one per message\), got 2/],
  ])('refuses %s: the module gets PAM_CONV_ERR, JS a clear error', async (_name, answers, pattern) => {
    const { tx, error } = await authenticateWith(() => answers);
    expect(error).toBeInstanceOf(PamError);
    // pam_matrix turns a conversation error into PAM_AUTHINFO_UNAVAIL.
    expect(error).toMatchObject({ code: 'PAM_AUTHINFO_UNAVAIL' });
    expect((error as PamError).conversationError).toMatch(pattern);
    expect((error as PamError).cause).toBeInstanceOf(RangeError);
    expectNoSecret(error);
    await tx.end();
  });

  it('refuses an answer with a NUL byte without quoting it', async () => {
    const { tx, error } = await authenticateWith((m) => m.map(() => `${SECRET}\0tail`));
    expect((error as PamError).conversationError).toMatch(/answer 0 must not contain NUL bytes/);
    expect((error as PamError).cause).toBeInstanceOf(TypeError);
    expectNoSecret(error);
    await tx.end();
  });

  it('refuses a Uint8Array answer with a NUL byte', async () => {
    const bytes = new TextEncoder().encode(`${SECRET}\0`);
    const { tx, error } = await authenticateWith((m) => m.map(() => bytes));
    expect((error as PamError).conversationError).toMatch(/answer 0 must not contain NUL bytes/);
    await tx.end();
  });

  it('refuses an answer longer than PAM_MAX_RESP_SIZE', async () => {
    const long = SECRET + 'x'.repeat(600);
    const { tx, error } = await authenticateWith((m) => m.map(() => long));
    expect((error as PamError).conversationError).toMatch(/answer 0 is 619 bytes long; at most 512 are allowed/);
    expect((error as PamError).cause).toBeInstanceOf(RangeError);
    expectNoSecret(error);
    await tx.end();
  });

  it.each([
    ['a number', 42],
    ['an object', { toString: () => SECRET }],
    ['a Uint16Array', new Uint16Array(4)],
  ])('refuses an answer that is %s', async (_name, bad) => {
    const { tx, error } = await authenticateWith((m) => m.map(() => bad as unknown as Answer));
    expect((error as PamError).conversationError).toMatch(/answer 0 must be a/);
    expect((error as PamError).cause).toBeInstanceOf(TypeError);
    expectNoSecret(error);
    await tx.end();
  });

  it('refuses a non-array result', async () => {
    const { tx, error } = await authenticateWith(() => SECRET as unknown as Answer[]);
    expect((error as PamError).conversationError).toMatch(/answers must be an array/);
    expectNoSecret(error);
    await tx.end();
  });

  it('refuses text for an info message, and warns when the module succeeds anyway', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      // First batch: the password prompt; second: pam_matrix's info message, which
      // it sends with resp == NULL and whose result it ignores.
      const { tx, error } = await authenticateWith((m) => m.map((x) => (x.style === 'echo-off' ? SECRET : 'ack')), {
        matrixOptions: 'verbose',
      });
      expect(error).toBeUndefined();
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning.mock.calls[0]).toEqual([
        'gatehouse/pam: a conversation of authenticate failed: answer 0 is for an info message and must be null',
        { code: 'GATEHOUSE_PAM_CONVERSATION' },
      ]);
      await tx.end();
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('never quotes what a conversation function threw in its warning (it may carry an answer)', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      // pam_matrix ignores a failed conversation for its info message and succeeds.
      const { tx, error } = await authenticateWith(
        (m) => {
          if (m.some((x) => x.style === 'info')) throw new Error(`could not show the message after ${SECRET}`);
          return m.map((x) => (x.style === 'echo-off' ? SECRET : null));
        },
        { matrixOptions: 'verbose' },
      );
      expect(error).toBeUndefined();
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning.mock.calls[0]).toEqual([
        'gatehouse/pam: a conversation of authenticate failed: the conversation function threw (Error)',
        { code: 'GATEHOUSE_PAM_CONVERSATION' },
      ]);
      expect(JSON.stringify(emitWarning.mock.calls)).not.toContain(SECRET);
      await tx.end();
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('zeroes a Uint8Array answer once it has copied it', async () => {
    const answer = new TextEncoder().encode(SECRET);
    const { tx, error } = await authenticateWith((m) => m.map((x) => (x.style === 'echo-off' ? answer : null)));
    expect(error).toBeUndefined();
    expect([...answer].every((b) => b === 0)).toBe(true);
    await tx.end();
  });

  it('zeroes a Uint8Array answer it refuses, too', async () => {
    const answer = new TextEncoder().encode(`${SECRET}\0tail`);
    const { tx, error } = await authenticateWith((m) => m.map((x) => (x.style === 'echo-off' ? answer : null)));
    expect((error as PamError).conversationError).toMatch(/NUL/);
    expect([...answer].every((b) => b === 0)).toBe(true);
    await tx.end();
  });
});

describe('conversation failures', () => {
  it('turns a throw into PAM_CONV_ERR and keeps the error as the cause', async () => {
    const boom = new Error('the UI went away');
    const { tx, error } = await authenticateWith(() => {
      throw boom;
    });
    expect(error).toMatchObject({ code: 'PAM_AUTHINFO_UNAVAIL' });
    expect((error as PamError).cause).toBe(boom);
    await tx.end();
  });

  it('turns a rejection into PAM_CONV_ERR', async () => {
    const boom = new Error('rejected');
    const { tx, error } = await authenticateWith(() => Promise.reject(boom));
    expect((error as PamError).cause).toBe(boom);
    await tx.end();
  });

  it('times out an unanswered conversation and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const { tx, error } = await authenticateWith(
      (_m, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
      { conversationTimeoutMs: 150 },
    );
    expect(error).toMatchObject({ code: 'PAM_AUTHINFO_UNAVAIL' });
    expect((error as PamError).conversationError).toBe('no answer within 150 ms');
    expect(signal?.aborted).toBe(true);
    await tx.end();
  });

  it('ignores answers that come after the timeout', async () => {
    let late: (() => void) | undefined;
    const { tx, error } = await authenticateWith(
      (m) =>
        new Promise((resolve) => {
          late = () => resolve(m.map(() => SECRET));
        }),
      { conversationTimeoutMs: 100 },
    );
    expect(error).toBeInstanceOf(PamError);
    late!();
    await new Promise((r) => setTimeout(r, 20));
    await tx.end();
  });
});

describe('abort', () => {
  it('rejects the running call at once and fails the pending conversation', async () => {
    let signal: AbortSignal | undefined;
    let asked!: () => void;
    const askedPromise = new Promise<void>((r) => (asked = r));
    const tx = await PamTransaction.start({
      service: 'matrix',
      user: 'alice',
      confDir: matrix(),
      conversation: (_m, ctx) => {
        signal = ctx.signal;
        asked();
        return new Promise(() => {});
      },
    });
    const running = tx.authenticate();
    await askedPromise;
    const reason = new Error('user pressed cancel');
    tx.abort(reason);
    await expect(running).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: reason });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    await expect(tx.acctMgmt()).rejects.toMatchObject({ code: 'ABORT_ERR' });
    await tx.end();
    expect(tx.ended).toBe(true);
  });

  it('fails later conversations at once after an abort', async () => {
    let calls = 0;
    const tx = await PamTransaction.start({
      service: 'matrix',
      user: 'alice',
      confDir: matrix(),
      conversation: (m) => {
        calls++;
        return m.map(() => SECRET);
      },
    });
    tx.abort();
    await tx.end();
    expect(calls).toBe(0);
  });
});
