// The elevate screen's words for each way a request ends, and a polkit request's
// details, rendered to markup (no browser: the e2e specs show them in Chromium).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EngineActions } from '../hooks/useEngine';
import { ev, play } from '../testing/events';
import { ElevateBody, ElevateHeader } from './ElevateScreen';

const actions = {} as EngineActions;
const begin = { type: 'ui/begin' } as const;

function screen(events: Parameters<typeof play>[0]) {
  const state = play(events);
  const props = { state, actions, context: state.context! };
  return renderToStaticMarkup(
    <>
      <ElevateHeader {...props} />
      <ElevateBody {...props} />
    </>,
  );
}

const askpass = ev.context({ mode: 'elevate', user: undefined, elevate: { action: 'Answer a password prompt', program: 'sudo' } });
const polkit = ev.context({
  mode: 'elevate',
  elevate: {
    action: 'Authentication is needed to run `/usr/bin/true` as the super user',
    program: 'pkexec',
    actionId: 'org.freedesktop.policykit.exec',
    details: [{ name: 'Requested by', value: 'pkexec (pid 42)' }],
    request: 'r1',
  },
});

describe('the elevate screen', () => {
  it('askpass: says the answer went to sudo, not that it was approved', () => {
    const html = screen([askpass, begin, { ...ev.outcome(true, 'HANDED_OVER', 'handed over') }]);
    expect(html).toContain('Answer passed to sudo');
    expect(html).not.toContain('Approved');
  });

  it('a confirmed request is approved', () => {
    expect(screen([polkit, begin, ev.outcome(true, 'PAM_SUCCESS', 'ok')])).toContain('Approved');
  });

  it('attempts used up: not authorized; dismissed: cancelled', () => {
    expect(screen([polkit, begin, { ...ev.outcome(false, 'PAM_AUTH_ERR', 'x'), final: true }])).toContain('Not authorized');
    expect(screen([polkit, begin, { ...ev.outcome(false, 'CANCELLED', 'x'), final: true }])).toContain('Request cancelled');
  });

  it("shows a polkit request's message, action id and details as a list", () => {
    const html = screen([polkit]);
    expect(html).toContain('pkexec wants to:');
    expect(html).toContain('<dt>Action</dt><dd>org.freedesktop.policykit.exec</dd>');
    expect(html).toContain('<dt>Requested by</dt><dd>pkexec (pid 42)</dd>');
  });
});
