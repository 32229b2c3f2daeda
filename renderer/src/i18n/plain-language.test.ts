import { describe, expect, it } from 'vitest';
import { ev, play } from '../testing/events';
import { screenMessages } from '../components/screen-messages';
import { plainModuleText } from './plain-language';
import { createTranslator } from './translate';

const en = createTranslator('en');

describe('plain words for well-known PAM texts', () => {
  it('maps what libpam, pam_unix, pam_pwquality, pam_matrix and pam_debug say', () => {
    expect(plainModuleText('Sorry, passwords do not match.')).toEqual({ key: 'plain.passwordsDiffer' });
    expect(plainModuleText('Passwords do not match')).toEqual({ key: 'plain.passwordsDiffer' });
    expect(plainModuleText('BAD PASSWORD: The password is shorter than 12 characters')).toEqual({
      key: 'plain.passwordRejected',
      params: { reason: 'The password is shorter than 12 characters' },
    });
    expect(plainModuleText('You are required to change your password immediately (administrator enforced).')).toEqual({
      key: 'plain.passwordExpired',
    });
    expect(plainModuleText('acct=new_authtok_reqd')).toEqual({ hidden: true });
    expect(plainModuleText('The reboot request failed.')).toEqual({ key: 'power.failed.reboot' });
  });

  it('leaves everything else as sent', () => {
    for (const text of ['Insert your security key', 'Welcome, alice.', 'BAD PASSWORD', 'acct=new_authtok_reqd and more', '<b>x</b>']) {
      expect(plainModuleText(text), text).toBeUndefined();
    }
  });
});

describe('what the screen says', () => {
  const shown = (state: ReturnType<typeof play>) =>
    screenMessages(
      {
        messages: state.messages,
        failure: state.outcome?.ok === false ? state.outcome : undefined,
        failedIn: state.failedIn,
        refusal: state.refusal,
        phase: state.phase,
        changeRetries: state.changeRetries,
        typedWhileWaiting: state.typedWhileWaiting,
      },
      en,
    );

  it('says a failure once; the raw texts go under Details', () => {
    const state = play([
      ev.context(),
      { type: 'ui/begin' },
      ev.prompt('b1', 0, 1, 'Password: '),
      { type: 'ui/answered', batch: 'b1' },
      ev.error('Authentication failed'),
      ev.phase('done'),
      ev.outcome(false, 'PAM_AUTH_ERR', 'Authentication failure'),
    ]);
    const messages = shown(state);
    expect(messages.alerts.map((l) => l.text)).toEqual(['Authentication failed']);
    expect(messages.details).toEqual(['Authentication failed', 'PAM_AUTH_ERR: Authentication failure']);
  });

  it('the change step says that the password expired; a debug line is only under Details', () => {
    const state = play([
      ev.context(),
      { type: 'ui/begin' },
      ev.phase('account'),
      ev.info('acct=new_authtok_reqd'),
      ev.error('You are required to change your password immediately (administrator enforced).'),
      ev.phase('change-password'),
    ]);
    const messages = shown(state);
    expect(messages.alerts).toEqual([]);
    expect(messages.statuses).toEqual([]);
    expect(messages.details).toEqual(['acct=new_authtok_reqd', 'You are required to change your password immediately (administrator enforced).']);
  });

  it('a change asked for again says so, unless a module already said why', () => {
    const again = play([ev.context(), { type: 'ui/begin' }, ev.phase('change-password'), ev.phase('change-password')]);
    expect(again.changeRetries).toBe(1);
    expect(shown(again).alerts.map((l) => l.text)).toEqual(['Your password was not changed yet. Try again.']);
    const explained = play([ev.error('Sorry, passwords do not match.'), ev.phase('change-password')], again);
    expect(shown(explained).alerts.map((l) => l.text)).toEqual(['The two new passwords were not the same. Type the same new password twice.']);
  });

  it('a failed change says to start again, also while the next attempt begins', () => {
    const state = play([
      ev.context(),
      { type: 'ui/begin' },
      ev.prompt('b1', 0, 1, 'New password: '),
      { type: 'ui/answered', batch: 'b1' },
      ev.phase('change-password'),
      ev.phase('done'),
      ev.outcome(false, 'PAM_MAXTRIES', 'Have exhausted maximum number of retries for service'),
      { type: 'ui/begin' },
    ]);
    expect(shown(state).alerts.map((l) => l.text)).toEqual([
      'Too many attempts',
      'Your password was not changed. Start again with your current password.',
    ]);
  });

  it('a refusal in plain words, the engine\'s text under Details', () => {
    const state = play([ev.context(), { type: 'ui/begin' }, ev.refused('too soon after a failed attempt: wait 2 s', 'begin')]);
    expect(shown(state).alerts.map((l) => l.text)).toEqual(['That is not possible right now.']);
    expect(shown(state).details).toEqual(['too soon after a failed attempt: wait 2 s']);
  });
});
