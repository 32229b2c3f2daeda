// The fail-closed life cycle, mode by mode.
import { describe, expect, it } from 'vitest';
import { OUTCOME_CODES } from '../../../protocol';
import { EXIT } from '../../../exit-codes';
import { FailClosedShell } from '../fail-closed';
import { RestartPolicy } from '../../../lock/restart-policy';

const ok = { ok: true, code: 'PAM_SUCCESS' };
const wrongPassword = { ok: false, code: 'PAM_AUTH_ERR' };
const cancelled = { ok: false, code: OUTCOME_CODES.cancelled };

function shell(mode: 'unlock' | 'login' | 'elevate', maxRestarts = 2) {
  return new FailClosedShell(mode, new RestartPolicy({ maxRestarts, windowMs: 60_000 }));
}

describe('unlock mode', () => {
  it('ends only after a successful unlock flow, with status 0', () => {
    const s = shell('unlock');
    expect(s.flowEnded(wrongPassword)).toEqual([]);
    expect(s.flowEnded(cancelled)).toEqual([]);
    expect(s.flowEnded({ ok: false, code: OUTCOME_CODES.promptTimeout })).toEqual([]);
    expect(s.state).toBe('guarding');
    expect(s.flowEnded(ok)).toEqual([{ type: 'finish', exitCode: EXIT.ok }]);
    expect(s.state).toBe('released');
  });

  it('ignores cancel requests: the lock stays', () => {
    const s = shell('unlock');
    expect(s.cancelRequested(false)).toEqual([]);
    expect(s.cancelRequested(true)).toEqual([]);
    expect(shell('login').cancelRequested(false)).toEqual([]);
  });

  it('refuses closing a window and quitting while guarding', () => {
    const s = shell('unlock');
    expect(s.closeRequested()).toEqual({ allow: false, actions: [] });
    expect(s.quitRequested()).toEqual({ allow: false });
    expect(s.state).toBe('guarding');
  });

  it('lets windows close and the app quit once released', () => {
    const s = shell('unlock');
    s.flowEnded(ok);
    expect(s.closeRequested()).toEqual({ allow: true, actions: [] });
    expect(s.quitRequested()).toEqual({ allow: true });
  });

  it('recreates a crashed conversation window and restarts the conversation', () => {
    const s = shell('unlock');
    expect(s.rendererFailed(1, 'conversation')).toEqual([
      { type: 'restart-conversation' },
      { type: 'recreate-window', displayId: 1, role: 'conversation' },
    ]);
  });

  it('recreates a crashed cover without touching the conversation', () => {
    expect(shell('unlock').rendererFailed(2, 'cover')).toEqual([{ type: 'recreate-window', displayId: 2, role: 'cover' }]);
  });

  it('after too many restarts shows the emergency screen, which never unlocks', () => {
    const s = shell('unlock', 2);
    s.rendererFailed(1, 'conversation');
    s.rendererFailed(1, 'conversation');
    expect(s.rendererFailed(1, 'conversation')).toEqual([{ type: 'enter-emergency' }]);
    expect(s.state).toBe('emergency');
    // Nothing gets it out: not a successful outcome, not closing, not quitting.
    expect(s.flowEnded(ok)).toEqual([]);
    expect(s.closeRequested().allow).toBe(false);
    expect(s.quitRequested().allow).toBe(false);
    // A failing emergency page is put back up, without end.
    for (let i = 0; i < 10; i++) expect(s.rendererFailed(1, 'conversation')).toEqual([{ type: 'recreate-window', displayId: 1, role: 'conversation' }]);
    expect(s.state).toBe('emergency');
  });

  it('gives up (emergency) when the engine cannot start', () => {
    const s = shell('unlock');
    expect(s.giveUp()).toEqual([{ type: 'enter-emergency' }]);
    expect(s.giveUp()).toEqual([]);
  });

  it('ends on a termination signal with 128 + N, even in the emergency state', () => {
    const s = shell('unlock', 0);
    s.rendererFailed(1, 'conversation');
    expect(s.state).toBe('emergency');
    expect(s.signalled('SIGTERM')).toEqual([{ type: 'finish', exitCode: 143 }]);
    expect(s.state).toBe('finishing');
    expect(s.signalled('SIGINT')).toEqual([]);
    expect(shell('unlock').signalled('SIGHUP')).toEqual([{ type: 'finish', exitCode: 129 }]);
  });

  it('a CANCELLED outcome of its own restart is not taken for anything', () => {
    const s = shell('unlock');
    s.rendererFailed(1, 'conversation');
    s.conversationCancelled();
    expect(s.flowEnded(cancelled)).toEqual([]);
    expect(s.state).toBe('guarding');
  });
});

describe('login mode', () => {
  it('is never ended by an outcome, a close or a quit; only a signal ends it', () => {
    const s = shell('login');
    expect(s.flowEnded(ok)).toEqual([]);
    expect(s.flowEnded({ ...ok, exitStatus: 0 })).toEqual([]);
    expect(s.closeRequested().allow).toBe(false);
    expect(s.quitRequested().allow).toBe(false);
    expect(s.signalled('SIGTERM')).toEqual([{ type: 'finish', exitCode: 143 }]);
  });

  it('shows the emergency screen when the renderer keeps failing', () => {
    const s = shell('login', 0);
    expect(s.rendererFailed(1, 'conversation')).toEqual([{ type: 'enter-emergency' }]);
  });

  it('exits (status 3) when the engine daemon goes away, for its service to start it anew', () => {
    const s = shell('login');
    expect(s.engineLost()).toEqual([{ type: 'finish', exitCode: EXIT.failure }]);
    expect(s.state).toBe('finishing');
    expect(s.engineLost()).toEqual([]);
  });

  it('as greetd’s greeter: a successful login ends it (greetd starts the session after), a failed one does not', () => {
    const s = new FailClosedShell('login', new RestartPolicy({ maxRestarts: 2, windowMs: 60_000 }), { endsOnLogin: true });
    expect(s.flowEnded(wrongPassword)).toEqual([]);
    expect(s.flowEnded(cancelled)).toEqual([]);
    expect(s.closeRequested().allow).toBe(false);
    expect(s.flowEnded(ok)).toEqual([{ type: 'finish', exitCode: EXIT.ok }]);
    expect(s.state).toBe('released');
  });

  it('endsOnLogin changes nothing outside login mode', () => {
    const s = new FailClosedShell('unlock', new RestartPolicy(), { endsOnLogin: true });
    expect(s.flowEnded(wrongPassword)).toEqual([]);
    expect(s.flowEnded(ok)).toEqual([{ type: 'finish', exitCode: EXIT.ok }]);
  });
});

describe('the engine going away in other modes', () => {
  it('unlock: the emergency screen (it never unlocks); elevate: a denial', () => {
    expect(shell('unlock').engineLost()).toEqual([{ type: 'enter-emergency' }]);
    expect(shell('elevate').engineLost()).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
  });
});

describe('elevate mode (and askpass)', () => {
  it('exits 0 on success, or with the approved command’s status', () => {
    expect(shell('elevate').flowEnded(ok)).toEqual([{ type: 'finish', exitCode: 0 }]);
    expect(shell('elevate').flowEnded({ ...ok, exitStatus: 3 })).toEqual([{ type: 'finish', exitCode: 3 }]);
  });

  it('lets the user retry after a wrong password', () => {
    const s = shell('elevate');
    expect(s.flowEnded(wrongPassword)).toEqual([]);
    expect(s.state).toBe('guarding');
  });

  it('denies (status 1) when the prompt is cancelled or times out', () => {
    expect(shell('elevate').flowEnded(cancelled)).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
    expect(shell('elevate').flowEnded({ ok: false, code: OUTCOME_CODES.promptTimeout })).toEqual([
      { type: 'finish', exitCode: EXIT.denied },
    ]);
  });

  it('takes a cancel with no flow running (between attempts) as "no"', () => {
    const s = shell('elevate');
    expect(s.cancelRequested(true)).toEqual([]); // the engine cancels the flow; its outcome decides
    expect(s.state).toBe('guarding');
    expect(s.cancelRequested(false)).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
    expect(s.cancelRequested(false)).toEqual([]);
  });

  it('takes closing the window as "no"', () => {
    const s = shell('elevate');
    expect(s.closeRequested()).toEqual({ allow: false, actions: [{ type: 'finish', exitCode: EXIT.denied }] });
    expect(s.state).toBe('finishing');
    expect(s.closeRequested()).toEqual({ allow: true, actions: [] });
  });

  it('denies instead of showing an emergency screen when the renderer keeps failing', () => {
    const s = shell('elevate', 1);
    expect(s.rendererFailed(1, 'conversation')[0]).toEqual({ type: 'restart-conversation' });
    s.conversationCancelled();
    expect(s.flowEnded(cancelled)).toEqual([]); // its own restart, not the user's cancel
    expect(s.rendererFailed(1, 'conversation')).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
    expect(s.state).toBe('finishing');
  });

  it('does not finish twice', () => {
    const s = shell('elevate');
    s.flowEnded(ok);
    expect(s.flowEnded(ok)).toEqual([]);
    expect(s.signalled('SIGTERM')).toEqual([]);
    expect(s.rendererFailed(1, 'conversation')).toEqual([]);
  });

  it('elevate: a final failure (the attempts are used up) denies; a non-final one does not', () => {
    const s = shell('elevate');
    expect(s.flowEnded(wrongPassword)).toEqual([]);
    expect(s.flowEnded({ ...wrongPassword, final: true })).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
    expect(shell('unlock').flowEnded({ ...wrongPassword, final: true })).toEqual([]);
  });
});

describe('the GPU process dying', () => {
  const windows = [
    { displayId: 1, role: 'conversation' as const },
    { displayId: 2, role: 'cover' as const },
  ];

  it('is one renderer crash for every window: all recreated, the conversation restarted', () => {
    const s = shell('unlock', 1);
    expect(s.gpuProcessGone(windows)).toEqual([
      { type: 'restart-conversation' },
      { type: 'recreate-window', displayId: 1, role: 'conversation' },
      { type: 'recreate-window', displayId: 2, role: 'cover' },
    ]);
    // It counts against the same restart budget: the next one gives up (emergency, never an unlock).
    expect(s.gpuProcessGone(windows)).toEqual([{ type: 'enter-emergency' }]);
    expect(s.state).toBe('emergency');
    // Once in emergency, the emergency pages are put back up.
    expect(s.gpuProcessGone(windows)).toEqual([
      { type: 'recreate-window', displayId: 1, role: 'conversation' },
      { type: 'recreate-window', displayId: 2, role: 'cover' },
    ]);
  });

  it('denies an elevation that keeps losing it', () => {
    const s = shell('elevate', 0);
    expect(s.gpuProcessGone(windows)).toEqual([{ type: 'finish', exitCode: EXIT.denied }]);
  });
});
