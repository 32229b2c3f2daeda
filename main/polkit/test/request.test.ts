// BeginAuthentication's arguments checked, and a request as the person sees it,
// with the account and process lookups at the module's own seam. The real
// polkitd sends real ones in pkexec.test.ts.
import { Variant } from 'dbus-next';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../auth/accounts';
import { NoIdentityError, presentRequest, type PresentationLookups } from '../presentation';
import { parseBeginAuthentication, type AuthenticationRequest } from '../request';
import { DEFAULT_MAX_ATTEMPTS, requestEngineOptions, requestResultOf } from '../request-session';

const user = (uid: number) => ['unix-user', { uid: new Variant('u', uid) }];
const body = (overrides: Partial<Record<number, unknown>> = {}) => {
  const args: unknown[] = ['org.example.run', 'Authentication is needed', 'icon', { 'polkit.caller-pid': '42' }, 'cookie-1', [user(1000)]];
  for (const [index, value] of Object.entries(overrides)) args[Number(index)] = value;
  return args;
};

describe('BeginAuthentication arguments', () => {
  it('takes a well-formed call, keeping unix-user identities in order without repeats', () => {
    const parsed = parseBeginAuthentication(body({ 5: [user(1000), ['unix-group', { gid: new Variant('u', 27) }], user(1001), user(1000)] }));
    expect(parsed).toEqual({
      ok: true,
      value: {
        actionId: 'org.example.run',
        message: 'Authentication is needed',
        iconName: 'icon',
        details: [['polkit.caller-pid', '42']],
        cookie: 'cookie-1',
        uids: [1000, 1001],
      },
    });
  });

  it('refuses what polkitd never sends, naming the field and never the cookie', () => {
    const problems = [
      body({ 0: 'not an id!' }),
      body({ 1: 7 }),
      body({ 3: ['a', 'b'] }),
      body({ 3: { key: 1 } }),
      body({ 4: '' }),
      body({ 4: 'secret\ninjected line' }),
      body({ 4: 'nul\0byte' }),
      body({ 4: 'x'.repeat(513) }),
      body({ 5: 'nobody' }),
    ].map((args) => {
      const parsed = parseBeginAuthentication(args);
      return parsed.ok ? 'accepted' : parsed.problem;
    });
    expect(problems).toEqual([
      'action_id is not an action id',
      'message is not a string',
      'details is not a dictionary',
      'details holds a value that is not a string',
      'cookie is not a non-empty string',
      'cookie holds a line break or a NUL byte',
      'cookie holds a line break or a NUL byte',
      'cookie is too long',
      'identities is not an array',
    ]);
    expect(problems.join(' ')).not.toContain('secret');
  });

  it('cuts absurdly long texts', () => {
    const parsed = parseBeginAuthentication(body({ 1: 'm'.repeat(10_000) }));
    expect(parsed.ok && parsed.value.message.length).toBe(4097);
  });
});

describe('the request as shown', () => {
  const accounts: Record<number, Account> = {
    1000: { name: 'alice', uid: 1000, gid: 1000, fullName: 'Alice Liddell', home: '/', shell: '/bin/sh' },
    1001: { name: 'bob', uid: 1001, gid: 1001, fullName: '', home: '/', shell: '/bin/sh' },
    1002: { name: 'carol', uid: 1002, gid: 1002, fullName: 'carol', home: '/', shell: '/bin/sh' },
  };
  const lookups = (ownUid = 1000): PresentationLookups => ({
    account: async (uid) => accounts[uid],
    processName: (pid) => ({ 42: 'pkexec', 7: 'bash' })[pid],
    ownUid,
  });
  const request = (overrides: Partial<AuthenticationRequest> = {}): AuthenticationRequest => ({
    actionId: 'org.freedesktop.policykit.exec',
    message: 'Authentication is needed to run `/usr/bin/true` as the super user',
    iconName: '',
    details: [
      ['polkit.caller-pid', '42'],
      ['polkit.subject-pid', '7'],
      ['polkit.gettext_domain', 'polkit-1'],
      ['volume', 'USB stick'],
    ],
    cookie: 'c',
    uids: [1002, 1001, 4242, 1000],
    ...overrides,
  });

  it('names who asks and for whom, keeps the action details, hides polkit bookkeeping', async () => {
    const shown = await presentRequest(request(), lookups());
    expect(shown.program).toBe('pkexec');
    expect(shown.details).toEqual([
      { name: 'volume', value: 'USB stick' },
      { name: 'Requested by', value: 'pkexec (pid 42)' },
      { name: 'For', value: 'bash (pid 7)' },
    ]);
    expect(shown.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(shown.id).not.toBe((await presentRequest(request(), lookups())).id);
  });

  it('offers known accounts only, the agent’s own user first, full names where they differ', async () => {
    const shown = await presentRequest(request(), lookups(1000));
    expect(shown.identities).toEqual([
      { uid: 1000, name: 'alice', displayName: 'Alice Liddell' },
      { uid: 1002, name: 'carol' },
      { uid: 1001, name: 'bob' },
    ]);
  });

  it('refuses a request none of whose identities can authenticate', async () => {
    await expect(presentRequest(request({ uids: [4242] }), lookups())).rejects.toBeInstanceOf(NoIdentityError);
  });

  it('says "A program" when the caller is gone, and shows the action id when the message is empty', async () => {
    const shown = await presentRequest(request({ details: [['polkit.caller-pid', '99']], message: '  ' }), lookups());
    expect(shown.program).toBe('A program');
    expect(shown.message).toBe('org.freedesktop.policykit.exec');
    expect(shown.details).toEqual([{ name: 'Requested by', value: 'a process (pid 99)' }]);
  });

  it('becomes an elevate engine whose confirmers are the identities', async () => {
    const shown = await presentRequest(request(), lookups());
    const options = requestEngineOptions(shown, { locale: 'de', theme: 'dark', promptTimeoutMs: 5, maxAttempts: DEFAULT_MAX_ATTEMPTS, log: () => undefined });
    expect(options).toMatchObject({
      mode: 'elevate',
      service: 'polkit-1',
      users: [{ name: 'alice', displayName: 'Alice Liddell' }, { name: 'carol' }, { name: 'bob' }],
      elevate: { confirmers: ['alice', 'carol', 'bob'], maxAttempts: 3, actionId: shown.actionId, request: shown.id, program: 'pkexec' },
      locale: 'de',
      theme: 'dark',
      promptTimeoutMs: 5,
    });
    expect(JSON.stringify(options)).not.toContain('"c"');
  });
});

describe('how an outcome ends a request', () => {
  const outcome = (fields: { ok: boolean; code?: string; final?: boolean }) => ({ v: 1 as const, type: 'outcome' as const, reason: 'r', ...fields });
  it('maps success, dismissal, timeouts and final failures; other failures go on', () => {
    expect(requestResultOf(outcome({ ok: true, code: 'PAM_SUCCESS' }))).toBe('authenticated');
    expect(requestResultOf(outcome({ ok: false, code: 'CANCELLED' }))).toBe('dismissed');
    expect(requestResultOf(outcome({ ok: false, code: 'PROMPT_TIMEOUT' }))).toBe('dismissed');
    expect(requestResultOf(outcome({ ok: false, code: 'PAM_AUTH_ERR', final: true }))).toBe('not-authorized');
    expect(requestResultOf(outcome({ ok: false, code: 'PAM_AUTH_ERR' }))).toBeUndefined();
  });
});
