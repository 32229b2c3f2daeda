// Unlock checks who authenticated: a module may rewrite PAM_USER during
// pam_authenticate (the scripted module of native/fixtures does it here through
// real libpam), and then the session's owner has not proven anything.
import { afterEach, describe, expect, it } from 'vitest';
import { makeConfDir } from '../../../lab/confdir';
import { scriptStack } from '../../../lab/stacks';
import { drive, logEntries } from './driver';
import type { Driver } from './driver';

const drivers: Driver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

function unlock(auth: string): Driver {
  const conf = makeConfDir({ scripted: scriptStack({ auth }) });
  const d = drive({ mode: 'unlock', service: 'scripted', confDir: conf.dir, user: 'alice' });
  drivers.push(d);
  return d;
}

describe('unlock: who authenticated', () => {
  it('fails when a module switched PAM_USER to someone else, even though pam_authenticate succeeded', async () => {
    const d = unlock('msg echo-off "Password: "\nsend\nexpect-answer 0 "right"\nset-item user "mallory"');
    d.send({ type: 'begin' });
    await d.answerNext('right');
    expect(await d.next('outcome')).toMatchObject({ ok: false, code: 'NOT_ALLOWED', reason: 'the user who authenticated is not the owner of this session' });
    // No account check, no credentials: straight to pam_end.
    expect(d.results.map((r) => `${r.op} ${r.code}`)).toEqual(['start PAM_SUCCESS', 'authenticate PAM_SUCCESS', 'end PAM_SUCCESS']);
    expect(logEntries(d.logs, 'attempt')).toMatchObject([{ mode: 'unlock', ok: false, code: 'NOT_ALLOWED' }]);
  });

  it('unlocks when PAM_USER is still the owner (a module that sets it to the same name changes nothing)', async () => {
    const d = unlock('msg echo-off "Password: "\nsend\nexpect-answer 0 "right"\nset-item user "alice"');
    d.send({ type: 'begin' });
    await d.answerNext('right');
    expect(await d.next('outcome')).toMatchObject({ ok: true, code: 'PAM_SUCCESS' });
  });
});
