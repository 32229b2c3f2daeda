import { describe, expect, it } from 'vitest';
import { ev, play } from '../testing/events';
import { MAX_MESSAGES, reduce } from './reducer';
import { initialScreenState } from './screen-state';
import { nextAutoBegin } from './next-step';

const begin = { type: 'ui/begin' } as const;
const answered = (batch: string) => ({ type: 'ui/answered', batch }) as const;

describe('reducer: one attempt', () => {
  it('starts idle on context and keeps what the context says', () => {
    const state = play([ev.context({ mode: 'unlock', user: 'alice', theme: 'high-contrast' })]);
    expect(state.flow).toBe('idle');
    expect(state.context).toMatchObject({ mode: 'unlock', user: 'alice', theme: 'high-contrast' });
    expect(state.context).not.toHaveProperty('running');
  });

  it('collects a prompt, then forgets it once answered and keeps its text for the disabled form', () => {
    let state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: ')]);
    expect(state.flow).toBe('running');
    expect(state.batch).toEqual({ id: 'b1', count: 1, prompts: [{ id: 'b1.0', index: 0, style: 'echo-off', text: 'Password: ' }] });
    state = reduce(state, answered('b1'));
    expect(state.batch).toBeUndefined();
    expect(state.answeredPrompts.map((p) => p.text)).toEqual(['Password: ']);
    expect(state.awaitingEngine).toBe(true);
    expect(state.answeredThisAttempt).toBe(true);
  });

  it('shows the prompts of one batch together, in index order, complete only when all arrived', () => {
    let state = play([ev.context(), begin, ev.prompt('b2', 1, 2, 'Retype new STRESS password: ')]);
    expect(state.batch?.prompts).toHaveLength(1);
    expect(state.batch!.prompts.length >= state.batch!.count).toBe(false);
    state = reduce(state, ev.prompt('b2', 0, 2, 'Enter new STRESS password: '));
    expect(state.batch?.prompts.map((p) => p.text)).toEqual(['Enter new STRESS password: ', 'Retype new STRESS password: ']);
    expect(state.batch!.prompts.length >= state.batch!.count).toBe(true);
  });

  it('replaces the pending batch when the next conversation call begins', () => {
    const state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), ev.prompt('b2', 0, 1, 'Verification code: ')]);
    expect(state.batch?.id).toBe('b2');
    expect(state.batch?.prompts.map((p) => p.text)).toEqual(['Verification code: ']);
  });

  it('ignores an answer report for a batch that is no longer pending', () => {
    const before = play([ev.context(), begin, ev.prompt('b2', 0, 1, 'Password: ')]);
    expect(reduce(before, answered('b1'))).toBe(before);
  });

  it('shows info messages while a module works with no prompt, and an error does not end the flow', () => {
    const state = play([
      ev.context(),
      begin,
      ev.info('Touch the security key'),
      ev.error('The key did not answer'),
      ev.info('Touch the security key again'),
    ]);
    expect(state.flow).toBe('running');
    expect(state.outcome).toBeUndefined();
    expect(state.messages.map((m) => [m.kind, m.text])).toEqual([
      ['info', 'Touch the security key'],
      ['error', 'The key did not answer'],
      ['info', 'Touch the security key again'],
    ]);
  });

  it('keeps messages as sent (newlines, markup-like text) and only the newest few', () => {
    const texts = Array.from({ length: MAX_MESSAGES + 3 }, (_, i) => `<b>line ${i}</b>\nsecond`);
    const state = play([ev.context(), begin, ...texts.map(ev.info)]);
    expect(state.messages.map((m) => m.text)).toEqual(texts.slice(-MAX_MESSAGES));
  });

  it('clears the messages of the previous step when the user answers', () => {
    const state = play([
      ev.context(),
      begin,
      ev.info('The account is locked due to 3 failed logins.'),
      ev.prompt('b1', 0, 1, 'Password: '),
      answered('b1'),
    ]);
    expect(state.messages).toEqual([]);
  });

  it('shows the expired-password change as its own phase, with pwquality rejections as sent', () => {
    // The transcript of pam_unix + pam_pwquality for an expired password.
    const state = play([
      ev.context(),
      begin,
      ev.phase('authenticate'),
      ev.prompt('b1', 0, 1, 'Password: '),
      answered('b1'),
      ev.busy(),
      ev.phase('account'),
      ev.error('You are required to change your password immediately (administrator enforced).'),
      ev.phase('change-password'),
      ev.info('Changing password for ghexpe2e.'),
      ev.prompt('b2', 0, 1, 'Current password: '),
      answered('b2'),
      ev.prompt('b3', 0, 1, 'New password: '),
      answered('b3'),
      ev.error('BAD PASSWORD: The password is shorter than 12 characters'),
      ev.prompt('b4', 0, 1, 'New password: '),
    ]);
    expect(state.phase).toBe('change-password');
    expect(state.flow).toBe('running');
    expect(state.batch?.prompts[0]?.text).toBe('New password: ');
    expect(state.messages.map((m) => m.text)).toEqual(['BAD PASSWORD: The password is shorter than 12 characters']);
  });
});

describe('reducer: the end of a flow', () => {
  const failedUnlock = play([
    ev.context({ mode: 'unlock' }),
    begin,
    ev.prompt('b1', 0, 1, 'Password: '),
    answered('b1'),
    ev.busy(),
    ev.error('Authentication failed'),
    ev.delay(10_000),
    ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure'),
  ]);

  it('after a failure the user took part in: shows why, and begins again once the delay is over', () => {
    expect(failedUnlock.flow).toBe('ended');
    expect(failedUnlock.restart).toBe('auto');
    expect(failedUnlock.outcome).toEqual({ ok: false, code: 'PAM_AUTH_ERR', reason: 'Authentication failure' });
    expect(failedUnlock.messages.map((m) => m.text)).toEqual(['Authentication failed']);
    expect(failedUnlock.delay).toEqual({ until: 10_000, reason: 'fail-delay' });
    expect(nextAutoBegin(failedUnlock, 4_000)).toEqual({ at: 10_000 });
    expect(nextAutoBegin(failedUnlock, 12_000)).toEqual({ at: 12_000 });
  });

  it('keeps the failure and its messages on screen into the next attempt, until the user answers', () => {
    let state = play([begin, ev.prompt('b2', 0, 1, 'Password: ')], failedUnlock);
    expect(state.outcome?.code).toBe('PAM_AUTH_ERR');
    expect(state.messages).toHaveLength(1);
    state = reduce(state, answered('b2'));
    expect(state.outcome).toBeUndefined();
    expect(state.messages).toEqual([]);
  });

  it('does not retry by itself a flow that failed without asking anything (no loop)', () => {
    const state = play([
      ev.context({ mode: 'unlock' }),
      begin,
      ev.info('The account is locked due to 3 failed logins.'),
      ev.info('(2 minutes left to unlock)'),
      ev.delay(5_000),
      ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure'),
    ]);
    expect(state.flow).toBe('ended');
    expect(state.restart).toBe('manual');
    expect(nextAutoBegin(state, 6_000)).toBeUndefined();
    expect(state.messages.map((m) => m.text)).toEqual(['The account is locked due to 3 failed logins.', '(2 minutes left to unlock)']);
  });

  it('unlock: success closes the screen', () => {
    const state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), answered('b1'), ev.outcome(true, 'PAM_SUCCESS', 'unlocked')]);
    expect(state.flow).toBe('closed');
    expect(nextAutoBegin(state, 0)).toBeUndefined();
  });

  it('unlock: a cancelled attempt starts over at once, with nothing to explain', () => {
    const state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), { type: 'ui/cancel' }, ev.outcome(false, 'CANCELLED', 'cancelled')]);
    expect(state.flow).toBe('ended');
    expect(state.outcome).toBeUndefined();
    expect(state.cancelling).toBe(false);
    expect(nextAutoBegin(state, 100)).toEqual({ at: 100 });
  });

  it('elevate: cancel declines the request for good; success approves it', () => {
    const started = play([ev.context({ mode: 'elevate', elevate: { action: 'Install updates', program: 'apt' } }), begin, ev.prompt('b1', 0, 1, 'Password: ')]);
    const declined = play([{ type: 'ui/cancel' }, ev.outcome(false, 'CANCELLED', 'cancelled by the user')], started);
    expect(declined.flow).toBe('closed');
    expect(declined.outcome?.code).toBe('CANCELLED');
    const approved = play([answered('b1'), ev.outcome(true, 'PAM_SUCCESS', 'approved')], started);
    expect(approved.flow).toBe('closed');
    expect(approved.outcome?.ok).toBe(true);
  });

  it('elevate: declining between attempts closes the screen without asking the engine', () => {
    const between = play([ev.context({ mode: 'elevate' }), begin, ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure')]);
    const declined = reduce(between, { type: 'ui/decline' });
    expect(declined.flow).toBe('closed');
    expect(declined.outcome).toBeUndefined();
    expect(nextAutoBegin(declined, 0)).toBeUndefined();
  });

  it('login: a failure tries the same user and session again; back and a finished session return to the list', () => {
    const context = ev.context({ mode: 'login', user: undefined, users: [{ name: 'bob' }], sessions: [{ id: 'xterm', name: 'Xterm' }] });
    const running = play([context, { type: 'ui/begin', user: 'bob', session: 'xterm' }, ev.prompt('b1', 0, 1, 'Password: '), answered('b1')]);
    const failed = play([ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure')], running);
    expect(failed.flow).toBe('ended');
    expect(nextAutoBegin(failed, 5)).toEqual({ at: 5, user: 'bob', session: 'xterm' });

    const back = play([{ type: 'ui/back' }], failed);
    expect(back.flow).toBe('idle');
    expect(back.subject).toEqual({});
    expect(back.outcome).toBeUndefined();
    expect(nextAutoBegin(back, 5)).toBeUndefined();

    const cancelled = play([{ type: 'ui/cancel' }, ev.outcome(false, 'CANCELLED', 'cancelled')], running);
    expect(cancelled.flow).toBe('idle');

    const sessionOver = play([ev.phase('session'), ev.outcome(true, 'PAM_SUCCESS', 'the session ended')], running);
    expect(sessionOver.flow).toBe('idle');
    expect(sessionOver.phase).toBeUndefined();
  });

  it('a refused begin waits for the user instead of trying again in a loop', () => {
    const state = play([ev.context(), begin, ev.refused('a new attempt is not allowed yet', 'begin')]);
    expect(state.flow).toBe('ended');
    expect(state.restart).toBe('manual');
    expect(state.refusal).toBe('a new attempt is not allowed yet');
    expect(nextAutoBegin(state, 0)).toBeUndefined();
  });

  it('a refused cancel leaves the flow as it was', () => {
    const state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), { type: 'ui/cancel' }, ev.refused('nothing to cancel', 'cancel')]);
    expect(state.cancelling).toBe(false);
    expect(state.batch?.id).toBe('b1');
  });
});

describe('reducer: the link', () => {
  it('drops pending prompts when the link goes, and takes a running flow back on the next context', () => {
    const before = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: ')]);
    const lost = reduce(before, { type: 'ui/connection', status: 'lost' });
    expect(lost.connection).toBe('lost');
    expect(lost.batch).toBeUndefined();
    expect(nextAutoBegin(lost, 0)).toBeUndefined();
    const back = play([{ type: 'ui/connection', status: 'open' }, ev.context({ running: true }), ev.prompt('b1', 0, 1, 'Password: ')], lost);
    expect(back.flow).toBe('running');
    expect(back.batch?.id).toBe('b1');
    expect(nextAutoBegin(back, 0)).toBeUndefined();
  });

  it('begins nothing before the context has arrived', () => {
    expect(nextAutoBegin({ ...initialScreenState, connection: 'open' }, 0)).toBeUndefined();
  });

  it('unlock and elevate begin as soon as the context is there; login waits for a name', () => {
    expect(nextAutoBegin(play([ev.context({ mode: 'unlock' })]), 7)).toEqual({ at: 7 });
    expect(nextAutoBegin(play([ev.context({ mode: 'elevate' })]), 7)).toEqual({ at: 7 });
    expect(nextAutoBegin(play([ev.context({ mode: 'login' })]), 7)).toBeUndefined();
  });

  it('elevate by an administrator: the only one is taken at once, several wait for a choice', () => {
    const admins = (names: string[]) => ev.context({ mode: 'elevate', user: undefined, users: names.map((name) => ({ name })) });
    expect(nextAutoBegin(play([admins([])]), 7)).toEqual({ at: 7 });
    expect(nextAutoBegin(play([admins(['root'])]), 7)).toEqual({ at: 7, user: 'root' });
    expect(nextAutoBegin(play([admins(['alice', 'bob'])]), 7)).toBeUndefined();
  });
});

describe('reducer: polkit requests and final outcomes', () => {
  const request = (id: string) => ev.context({ mode: 'elevate', user: 'alice', elevate: { action: 'Run a program', program: 'pkexec', request: id } });
  const final = (code: string) => ({ ...ev.outcome(false, code, 'no attempts left'), final: true });

  it('closes the screen on a final failure: no attempt follows', () => {
    const state = play([request('r1'), begin, ev.prompt('b1', 0, 1, 'Password: '), answered('b1'), final('PAM_AUTH_ERR')]);
    expect(state.flow).toBe('closed');
    expect(state.outcome).toMatchObject({ ok: false, code: 'PAM_AUTH_ERR', final: true });
    expect(nextAutoBegin(state, 0)).toBeUndefined();
  });

  it('a non-final failure is retried as before', () => {
    const state = play([request('r1'), begin, ev.prompt('b1', 0, 1, 'Password: '), answered('b1'), ev.outcome(false, 'PAM_AUTH_ERR', 'x')]);
    expect(state.flow).toBe('ended');
    expect(nextAutoBegin(state, 0)).toEqual({ at: 0 });
  });

  it('starts over when the context names another request, even after a closed one', () => {
    const closed = play([request('r1'), begin, ev.info('hello'), ev.outcome(true, 'PAM_SUCCESS', 'ok')]);
    expect(closed.flow).toBe('closed');
    const again = reduce(closed, request('r1'));
    expect(again.flow).toBe('closed'); // the same request (a reconnection): still done
    const next = reduce(closed, request('r2'));
    expect(next).toMatchObject({ flow: 'idle', messages: [], connection: 'open' });
    expect(next.outcome).toBeUndefined();
    expect(next.context?.elevate?.request).toBe('r2');
    expect(next.nextSeq).toBe(closed.nextSeq);
  });
});

describe('reducer: what the screens remember', () => {
  it('keeps the chosen session when the person goes back to the list', () => {
    const context = ev.context({ mode: 'login', user: undefined, sessions: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }] });
    const back = play([context, { type: 'ui/begin', user: 'bob', session: 'b' }, { type: 'ui/back' }]);
    expect(back.flow).toBe('idle');
    expect(back.lastSession).toBe('b');
  });

  it('a new start from the list and a power request clear what was said before', () => {
    const context = ev.context({ mode: 'login', user: undefined, power: ['reboot'] });
    const failedPower = play([context, ev.error('The reboot request failed.')]);
    expect(failedPower.messages).toHaveLength(1);
    expect(play([{ type: 'ui/power' }], failedPower).messages).toEqual([]);
    expect(play([{ type: 'ui/begin', user: 'bob' }], failedPower).messages).toEqual([]);
  });

  it('keys typed while waiting are noted until the next prompt', () => {
    const waiting = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), answered('b1'), { type: 'ui/typed-while-waiting' }]);
    expect(waiting.typedWhileWaiting).toBe(true);
    expect(play([ev.prompt('b2', 0, 1, 'Password: ')], waiting).typedWhileWaiting).toBe(false);
  });

  it('a one-time code after a password is the second step', () => {
    const state = play([ev.context(), begin, ev.prompt('b1', 0, 1, 'Password: '), answered('b1'), ev.prompt('b2', 0, 1, 'Verification code: ', 'echo-on')]);
    expect(state.answeredSecretThisAttempt).toBe(true);
    const fresh = play([begin], state);
    expect(fresh.answeredSecretThisAttempt).toBe(false);
  });
});
