// The scripted test module (native/fixtures/pam_gatehouse_script.c), driven through
// the real addon and real libpam: every command of its script language, its
// inline arguments, and what the addon makes of each odd thing it sends.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PamError, PamTransaction, type Answer, type Conversation, type PamMessage } from '../index';
import { makeConfDir } from '../../lab/confdir';
import { makeTempDir } from '../../lab/tmp';
import { SCRIPT_MODULE } from '../../lab/paths';
import { runChild } from './child';

const work = makeTempDir('gatehouse-script-test-');
let files = 0;

/** A fresh file name in the test's temp dir. */
function tempFile(name: string): string {
  return join(work, `${++files}-${name}`);
}

function writeScript(text: string): string {
  const file = tempFile('script');
  writeFileSync(file, text);
  return file;
}

/** The module on all four management groups, with these arguments. */
function stack(args: string): string {
  return ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${SCRIPT_MODULE} ${args}`).join('\n');
}

function moduleArgs(setup: { script?: string; args?: string }): string {
  return [setup.script === undefined ? '' : `script=${writeScript(setup.script)}`, setup.args ?? ''].join(' ').trim();
}

/** Records every batch; prompts get `answer(message, index)` (default ''), info/error get null. */
function converse(answer: (m: PamMessage, i: number) => Answer | undefined = () => undefined) {
  const batches: PamMessage[][] = [];
  const conversation: Conversation = (messages) => {
    batches.push(messages);
    return messages.map((m, i) => {
      const a = answer(m, i);
      if (a !== undefined) return a;
      return m.style === 'info' || m.style === 'error' ? null : '';
    });
  };
  return { batches, conversation };
}

const open: PamTransaction[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((tx) => tx.end()));
});

interface Setup {
  script?: string;
  args?: string;
  /** null: start without a user. Default 'alice'. */
  user?: string | null;
  conversation?: Conversation;
  conversationTimeoutMs?: number;
}

async function start(setup: Setup): Promise<PamTransaction> {
  const conf = makeConfDir({ scripted: stack(moduleArgs(setup)) });
  const tx = await PamTransaction.start({
    service: 'scripted',
    user: setup.user === null ? undefined : (setup.user ?? 'alice'),
    confDir: conf.dir,
    conversation: setup.conversation ?? converse().conversation,
    conversationTimeoutMs: setup.conversationTimeoutMs,
  });
  open.push(tx);
  return tx;
}

/** Ends `tx` now (instead of after the test), with `status` or the default. */
async function endNow(tx: PamTransaction, status?: number): Promise<void> {
  open.splice(open.indexOf(tx), 1);
  await tx.end(status);
}

/** The PamError a call rejects with. */
async function failure(call: Promise<unknown>): Promise<PamError> {
  const outcome = await call.then(
    () => new Error('the call succeeded'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(PamError);
  return outcome as PamError;
}

/** Runs the auth section of `script` and returns the PAM environment afterwards. */
async function authEnv(script: string, setup: Omit<Setup, 'script'> = {}): Promise<Record<string, string>> {
  const tx = await start({ ...setup, script });
  await tx.authenticate();
  return tx.getenvlist();
}

function hex(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('hex');
}

function recordLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

// ---------------------------------------------------------------------------------

describe('module arguments without a script', () => {
  it('return= decides the result of every function', async () => {
    const ok = await start({ args: 'return=success' });
    await ok.authenticate();
    await ok.acctMgmt();
    await ok.setcred('establish');
    await ok.openSession();
    await ok.closeSession();
    await ok.chauthtok();
    await ok.setcred('delete');

    const denied = await start({ args: 'return=new_authtok_reqd' });
    expect((await failure(denied.acctMgmt())).code).toBe('PAM_NEW_AUTHTOK_REQD');
    expect((await failure(denied.openSession())).code).toBe('PAM_NEW_AUTHTOK_REQD');
  });

  it('return= takes PAM names and decimal numbers', async () => {
    const byName = await start({ args: 'return=auth_err' });
    expect((await failure(byName.authenticate())).code).toBe('PAM_AUTH_ERR');
    const byPamName = await start({ args: 'return=PAM_ACCT_EXPIRED' });
    expect((await failure(byPamName.acctMgmt())).code).toBe('PAM_ACCT_EXPIRED');
    const byNumber = await start({ args: 'return=11' });
    expect((await failure(byNumber.authenticate())).code).toBe('PAM_MAXTRIES');
  });

  it('return= with a code libpam does not define: libpam makes it PAM_PERM_DENIED', async () => {
    for (const code of ['4242', '-1', '32']) {
      const tx = await start({ args: `return=${code}` });
      const error = await failure(tx.authenticate());
      expect(error.code).toBe('PAM_PERM_DENIED');
      expect(error.errno).toBe(6);
    }
  });

  it('sleep_ms= sleeps before returning', async () => {
    const tx = await start({ args: 'sleep_ms=300' });
    const t0 = performance.now();
    await tx.authenticate();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('fail_delay= asks for a delay, which the addon reports instead of sleeping', async () => {
    const ok = await start({ args: 'fail_delay=400000' });
    await ok.authenticate();
    // libpam jitters the request by up to ±50 %.
    expect(ok.failDelayMs).toBeGreaterThanOrEqual(200);
    expect(ok.failDelayMs).toBeLessThanOrEqual(600);

    const bad = await start({ args: 'fail_delay=400000 return=auth_err' });
    const error = await failure(bad.authenticate());
    expect(error.failDelayMs).toBeGreaterThanOrEqual(200);
    expect(error.failDelayMs).toBeLessThanOrEqual(600);
  });

  it('an unknown argument, a bad value or a missing script is PAM_SERVICE_ERR', async () => {
    for (const args of ['bogus=1', 'return=nonsense', 'sleep_ms=-5', 'fail_delay=x', `script=${join(work, 'absent')}`]) {
      const tx = await start({ args });
      expect((await failure(tx.authenticate())).code, args).toBe('PAM_SERVICE_ERR');
    }
  });

  it('the inline arguments apply to functions without a section in the script', async () => {
    const tx = await start({ script: '[auth]\nputenv "FROM=script"\n', args: 'return=acct_expired' });
    await tx.authenticate();
    expect(await tx.getenv('FROM')).toBe('script');
    expect((await failure(tx.acctMgmt())).code).toBe('PAM_ACCT_EXPIRED');
  });
});

describe('sections, return and script errors', () => {
  it('every PAM function runs its own section', async () => {
    const record = tempFile('sections');
    const script = ['auth', 'setcred', 'account', 'open_session', 'close_session', 'chauthtok_prelim', 'chauthtok']
      .map((s) => `[${s}]\nrecord ${record}\n`)
      .join('');
    const tx = await start({ script });
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.setcred('establish');
    await tx.openSession();
    await tx.closeSession();
    await tx.chauthtok();
    expect(recordLines(record).map((l) => l.split(' ')[0])).toEqual([
      'auth',
      'account',
      'setcred',
      'open_session',
      'close_session',
      'chauthtok_prelim',
      'chauthtok',
    ]);
  });

  it('chauthtok_prelim can stop the change before the update pass', async () => {
    const record = tempFile('prelim');
    const tx = await start({ script: `[chauthtok_prelim]\nreturn try_again\n[chauthtok]\nrecord ${record}\n` });
    expect((await failure(tx.chauthtok())).code).toBe('PAM_TRY_AGAIN');
    expect(recordLines(record)).toEqual([]);
  });

  it('a function without a section (and no return=) succeeds', async () => {
    const tx = await start({ script: '[auth]\nreturn auth_err\n' });
    await tx.acctMgmt();
    await tx.openSession();
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTH_ERR');
  });

  it('every call runs its section from the top; return stops it', async () => {
    const tx = await start({
      script: `
        # a comment
        [auth]
            count CALLS
        putenv "BEFORE=yes"
        return auth_err
        putenv "AFTER=yes"
        [account]
        return success
        putenv "NEVER=yes"
      `,
    });
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTH_ERR');
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTH_ERR');
    await tx.acctMgmt();
    const env = await tx.getenvlist();
    expect(env).toEqual({ CALLS: '2', BEFORE: 'yes' });
  });

  it('return takes names and numbers', async () => {
    const tx = await start({ script: '[auth]\nreturn 7\n[account]\nreturn PAM_USER_UNKNOWN\n' });
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTH_ERR');
    expect((await failure(tx.acctMgmt())).code).toBe('PAM_USER_UNKNOWN');
  });

  it('return with a code libpam does not define: it reaches the application only through a libpam quirk', async () => {
    // Normally libpam turns it into PAM_PERM_DENIED; but close_session replays the
    // chain frozen by open_session, and after a failed open the raw code comes through.
    const tx = await start({ script: '[open_session]\nreturn service_err\n[close_session]\nreturn 4242\n' });
    expect((await failure(tx.closeSession())).code).toBe('PAM_PERM_DENIED');
    expect((await failure(tx.openSession())).code).toBe('PAM_SERVICE_ERR');
    const error = await failure(tx.closeSession());
    expect(error.errno).toBe(4242);
    expect(error.code).toBe('PAM_UNKNOWN_ERROR');
  });

  it('accepts CRLF line ends and trailing blanks', async () => {
    const env = await authEnv('[auth]\r\nputenv "A=1"  \r\n  \t\r\n');
    expect(env).toEqual({ A: '1' });
  });

  const broken: [string, string][] = [
    ['an unknown command', '[auth]\nfrobnicate\n'],
    ['an unknown section', '[auth]\n[login]\n'],
    ['a section twice', '[auth]\n[auth]\n'],
    ['a command before any section', 'putenv "A=1"\n[auth]\n'],
    ['an unterminated string', '[auth]\nmsg info "oops\n'],
    ['an unknown escape', '[auth]\nmsg info "\\q"\n'],
    ['a short \\x escape', '[auth]\nmsg info "\\x4"\n'],
    ['text right after a closing quote', '[auth]\nmsg info "a"b\n'],
    ['too many arguments', '[auth]\nsend now\n'],
    ['too few arguments', '[auth]\nmsg info\n'],
    ['a bad style', '[auth]\nmsg shout "x"\n'],
    ['a bad code', '[auth]\nreturn maybe\n'],
    ['a bad number', '[auth]\nsleep 1e3\n'],
    ['an index out of range', '[auth]\nexpect-answer-null 64\n'],
    ['odd hex', '[auth]\nmsg-binary 0000000\n'],
    ['non-hex bytes', '[auth]\nmsg-binary 00000005zz\n'],
    ['a NUL in a C string', '[auth]\nputenv "A=\\x00"\n'],
    ['a bad item', '[auth]\nset-item authtok "x"\n'],
    ['xauthdata set as text', '[auth]\nset-item xauthdata "x"\n'],
    ['a msg-long fill of two characters', '[auth]\nmsg-long info 3 AB\n'],
    ['a count name with =', '[auth]\ncount A=B\n'],
    ['a mistake in another section', '[auth]\nputenv "A=1"\n[account]\nfrobnicate\n'],
    ['a 65th message in a batch', '[auth]\nmsgs 64 info "m"\nmsg info "one too many"\n'],
    ['expect-rc before any send', '[auth]\nexpect-rc success\n'],
    ['export-answers before any send', '[auth]\nexport-answers A\n'],
  ];
  it.each(broken)('%s is PAM_SERVICE_ERR, and nothing runs', async (_what, script) => {
    const { batches, conversation } = converse();
    const tx = await start({ script, conversation });
    expect((await failure(tx.authenticate())).code).toBe('PAM_SERVICE_ERR');
    expect(batches).toEqual([]);
    expect(await tx.getenv('A')).toBeUndefined();
  });

  it('says what is wrong, and where, on stderr', async () => {
    const script = writeScript('[auth]\n# fine\nfrobnicate "x"\n');
    const conf = makeConfDir({ scripted: stack(`script=${script}`) });
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      (async () => {
        const tx = await PamTransaction.start({ service: 'scripted', user: 'alice', confDir: process.env.GH_CONF, conversation: () => [] });
        await tx.authenticate().then(() => console.log('success'), (e) => console.log(e.code));
        await tx.end();
      })();`,
      { env: { GH_CONF: conf.dir } },
    );
    expect(child.stdout.trim()).toBe('PAM_SERVICE_ERR');
    expect(child.stderr).toContain(`pam_gatehouse_script: ${script}:3: unknown command 'frobnicate'`);
  });
});

describe('msg, msg-null, msg-long, msgs and send', () => {
  it('sends one batch with every named style and gets one answer per message', async () => {
    const { batches, conversation } = converse((m) => (m.style === 'echo-off' ? 's3cret' : m.style === 'echo-on' ? 'alice' : m.style === 'radio' ? 'yes' : undefined));
    const env = await authEnv(
      `[auth]
      msg info "Welcome"
      msg error "Careful"
      msg echo-on "Login: "
      msg echo-off "Password: "
      msg radio "Proceed?"
      send
      expect-rc success
      expect-answer-null 0
      expect-answer-null 1
      expect-answer 2 "alice"
      expect-answer 3 "s3cret"
      expect-answer 4 "yes"
      putenv "CHECKED=yes"`,
      { conversation },
    );
    expect(batches).toEqual([
      [
        { style: 'info', text: 'Welcome' },
        { style: 'error', text: 'Careful' },
        { style: 'echo-on', text: 'Login: ' },
        { style: 'echo-off', text: 'Password: ' },
        { style: 'radio', text: 'Proceed?' },
      ],
    ]);
    expect(env.CHECKED).toBe('yes');
  });

  it('style=N sends a raw style: a known number is that style', async () => {
    const { batches, conversation } = converse();
    await authEnv('[auth]\nmsg style=4 "four"\nmsg style=5 "five"\nsend\nexpect-rc success\n', { conversation });
    expect(batches).toEqual([
      [
        { style: 'info', text: 'four' },
        { style: 'radio', text: 'five' },
      ],
    ]);
  });

  it('style=N with an unknown style: the addon refuses the batch with PAM_CONV_ERR', async () => {
    const { batches, conversation } = converse();
    const tx = await start({
      script: '[auth]\nmsg info "fine"\nmsg style=99 "odd"\nsend\nexport-answers A\nreturn conv_err\n',
      conversation,
    });
    const error = await failure(tx.authenticate());
    expect(error.code).toBe('PAM_CONV_ERR');
    expect(error.conversationError).toMatch(/unknown style \(99\)/);
    expect(batches).toEqual([]);
    expect(await tx.getenv('A_RC')).toBe('19');
    expect(await tx.getenv('A_N')).toBe('-1');
  });

  it('quoted strings carry escapes, control characters and invalid UTF-8', async () => {
    const { batches, conversation } = converse();
    await authEnv('[auth]\nmsg info "tab\\there\\nnew \\"quoted\\" back\\\\slash \\x01\\x7f caf\\xc3\\xa9 \\xff!"\nmsg info plain-word\nsend\n', {
      conversation,
    });
    expect(batches[0]).toEqual([
      { style: 'info', text: 'tab\there\nnew "quoted" back\\slash \u0001\u007f café \ufffd!' },
      { style: 'info', text: 'plain-word' },
    ]);
  });

  it('msg-null sends a NULL msg pointer: the addon shows an empty text', async () => {
    const { batches, conversation } = converse((m) => (m.style === 'echo-off' ? 'pw' : undefined));
    const env = await authEnv('[auth]\nmsg-null info\nmsg-null echo-off\nsend\nexpect-rc success\nexpect-answer 1 "pw"\nexport-answers A\n', {
      conversation,
    });
    expect(batches).toEqual([
      [
        { style: 'info', text: '' },
        { style: 'echo-off', text: '' },
      ],
    ]);
    expect(env.A_N).toBe('2');
  });

  it('msg-long sends a huge text: the addon passes on the first 64 KiB', async () => {
    const { batches, conversation } = converse();
    await authEnv('[auth]\nmsg-long info 70000 A\nmsg-long error 3 " "\nmsg-long info 0 x\nsend\nexpect-rc success\n', { conversation });
    const [long, short, empty] = batches[0]!;
    expect(long!.style).toBe('info');
    expect(long!.text).toMatch(/^A+$/);
    expect(long!.text.length).toBe(64 * 1024);
    expect(short).toEqual({ style: 'error', text: '   ' });
    expect(empty).toEqual({ style: 'info', text: '' });
  });

  it('msgs 32 is one conversation of 32 numbered messages', async () => {
    const { batches, conversation } = converse();
    await authEnv('[auth]\nmsgs 32 info "line"\nsend\nexpect-rc success\n', { conversation });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((m) => m.text)).toEqual(Array.from({ length: 32 }, (_, i) => `line ${i}`));
  });

  it('msgs 33 is refused by the addon (PAM_CONV_ERR) without calling the conversation', async () => {
    const { batches, conversation } = converse();
    const tx = await start({ script: '[auth]\nmsgs 33 echo-off "prompt"\nsend\nexpect-rc conv_err\nreturn conv_err\n', conversation });
    const error = await failure(tx.authenticate());
    expect(error.code).toBe('PAM_CONV_ERR');
    expect(error.conversationError).toMatch(/33 messages/);
    expect(batches).toEqual([]);
  });

  it('send with an empty batch calls the conversation with num_msg 0, which the addon refuses', async () => {
    const { batches, conversation } = converse();
    const tx = await start({ script: '[auth]\nsend\nexpect-rc conv_err\nreturn conv_err\n', conversation });
    expect((await failure(tx.authenticate())).conversationError).toMatch(/0 messages/);
    expect(batches).toEqual([]);
  });

  it('send empties the batch; several sends are several conversations', async () => {
    const { batches, conversation } = converse((m) => m.text);
    await authEnv(
      '[auth]\nmsg echo-on "one"\nsend\nexpect-answer 0 "one"\nmsg echo-on "two"\nmsg echo-on "three"\nsend\nexpect-answer 0 "two"\nexpect-answer 1 "three"\n',
      { conversation },
    );
    expect(batches.map((b) => b.map((m) => m.text))).toEqual([['one'], ['two', 'three']]);
  });

  it('an async conversation answers just as well', async () => {
    const conversation: Conversation = async (messages) => {
      await new Promise((r) => setTimeout(r, 20));
      return messages.map(() => 'later');
    };
    await authEnv('[auth]\nmsg echo-off "Password: "\nsend\nexpect-rc success\nexpect-answer 0 "later"\n', { conversation });
  });
});

describe('msg-binary', () => {
  it('sends a binary prompt; a binary reply is exported by its header length', async () => {
    const prompt = Uint8Array.from([0, 0, 0, 8, 1, 0xaa, 0x00, 0xff]);
    const reply = Uint8Array.from([0, 0, 0, 7, 2, 0x00, 0x7f]);
    const replyHex = hex(reply); // the addon zeroes the reply once it has copied it
    const { batches, conversation } = converse((m) => (m.style === 'binary' ? reply : undefined));
    const env = await authEnv(`[auth]\nmsg-binary ${hex(prompt)}\nsend\nexpect-rc success\nexport-answers B\n`, { conversation });
    expect(batches).toHaveLength(1);
    expect(batches[0]![0]!.style).toBe('binary');
    expect(batches[0]![0]!.text).toBe('');
    expect(batches[0]![0]!.data).toEqual(prompt);
    expect(env).toMatchObject({ B_RC: '0', B_N: '1', B_0: '<binary>', B_0_HEX: replyHex, B_0_LEN: '7' });
  });

  it('a header claiming more bytes than given: the prompt is zero-padded to that length', async () => {
    const { batches, conversation } = converse((m) => (m.style === 'binary' ? Uint8Array.from([0, 0, 0, 5, 0]) : undefined));
    await authEnv('[auth]\nmsg-binary 0000000a01aabb\nsend\nexpect-rc success\n', { conversation });
    expect(batches[0]![0]!.data).toEqual(Uint8Array.from([0, 0, 0, 10, 1, 0xaa, 0xbb, 0, 0, 0]));
  });

  it('a malformed binary prompt is refused by the addon with PAM_CONV_ERR', async () => {
    const { batches, conversation } = converse();
    const tx = await start({ script: '[auth]\nmsg-binary 0000000301\nsend\nexpect-rc conv_err\nreturn conv_err\n', conversation });
    expect((await failure(tx.authenticate())).conversationError).toMatch(/malformed binary prompt/);
    expect(batches).toEqual([]);
  });

  it('a binary prompt answered with text is refused on the application side', async () => {
    const tx = await start({
      script: '[auth]\nmsg-binary 0000000500\nsend\nexport-answers B\nreturn conv_err\n',
      conversation: (messages) => messages.map(() => 'text'),
    });
    const error = await failure(tx.authenticate());
    expect(error.conversationError).toMatch(/binary prompt and must be a Uint8Array/);
    expect(await tx.getenv('B_RC')).toBe('19');
  });
});

describe('send-null-resp', () => {
  it('info and error messages only: the addon accepts resp == NULL', async () => {
    const { batches, conversation } = converse();
    const env = await authEnv('[auth]\nmsg info "hello"\nmsg error "oops"\nsend-null-resp\nexpect-rc success\nexpect-answer-null 0\nexport-answers A\n', {
      conversation,
    });
    expect(batches).toEqual([
      [
        { style: 'info', text: 'hello' },
        { style: 'error', text: 'oops' },
      ],
    ]);
    expect(env).toMatchObject({ A_RC: '0', A_N: '-1' });
    expect(env.A_0).toBeUndefined();
  });

  it('a prompt with resp == NULL is refused with PAM_CONV_ERR, without calling the conversation', async () => {
    const { batches, conversation } = converse();
    const tx = await start({ script: '[auth]\nmsg echo-off "Password: "\nsend-null-resp\nexpect-rc conv_err\nreturn conv_err\n', conversation });
    expect((await failure(tx.authenticate())).conversationError).toMatch(/resp is NULL/);
    expect(batches).toEqual([]);
  });
});

describe('expect-rc, expect-answer and expect-answer-null', () => {
  it('expect-rc passes on the right code and is PAM_SYSTEM_ERR on another', async () => {
    const ok = await start({ script: '[auth]\nmsg info "x"\nsend\nexpect-rc 0\nexpect-rc success\n' });
    await ok.authenticate();
    const wrong = await start({ script: '[auth]\nmsg info "x"\nsend\nexpect-rc conv_err\nputenv "AFTER=yes"\n' });
    expect((await failure(wrong.authenticate())).code).toBe('PAM_SYSTEM_ERR');
    expect(await wrong.getenv('AFTER')).toBeUndefined();
  });

  it('expect-rc sees a failed conversation', async () => {
    const thrown = await start({
      script: '[auth]\nmsg echo-off "x"\nsend\nexpect-rc conv_err\nexpect-answer-null 0\n',
      conversation: () => {
        throw new Error('the user went away');
      },
    });
    await thrown.authenticate();

    const wrongCount = await start({
      script: '[auth]\nmsg echo-off "x"\nmsg echo-off "y"\nsend\nexpect-rc conv_err\n',
      conversation: () => ['only one'],
    });
    await wrongCount.authenticate();
  });

  it('expect-answer compares bytes; a wrong, missing or NULL answer is PAM_AUTH_ERR', async () => {
    const conversation: Conversation = (messages) => messages.map((m) => (m.text === 'null' ? null : 'pässwörd'));
    const script = (check: string) => `[auth]\nmsg echo-off "a"\nmsg echo-off "null"\nsend\n${check}\n`;
    for (const check of ['expect-answer 0 "pässwörd"', 'expect-answer 0 "p\\xc3\\xa4ssw\\xc3\\xb6rd"', 'expect-answer-null 1']) {
      const tx = await start({ script: script(check), conversation });
      await tx.authenticate();
    }
    for (const check of [
      'expect-answer 0 "passwort"',
      'expect-answer 0 "pässwörd "',
      'expect-answer 0 ""',
      'expect-answer 1 ""',
      'expect-answer 2 "pässwörd"',
      'expect-answer-null 0',
      'expect-answer-null 2',
    ]) {
      const tx = await start({ script: script(check), conversation });
      expect((await failure(tx.authenticate())).code, check).toBe('PAM_AUTH_ERR');
    }
  });

  it('expect-answer matches an empty answer', async () => {
    const tx = await start({ script: '[auth]\nmsg echo-off "x"\nsend\nexpect-answer 0 ""\n', conversation: () => [''] });
    await tx.authenticate();
  });
});

describe('export-answers', () => {
  it('exports the code, the count, and each answer as text, hex and length', async () => {
    const answers: Answer[] = ['pässwörd', '\t\u0001x\u007f', '', null];
    const env = await authEnv('[auth]\nmsg echo-off "a"\nmsg echo-on "b"\nmsg radio "c"\nmsg info "d"\nsend\nexport-answers ANS\n', {
      conversation: () => answers,
    });
    expect(env).toEqual({
      ANS_RC: '0',
      ANS_N: '4',
      ANS_0: 'pässwörd',
      ANS_0_HEX: hex('pässwörd'),
      ANS_0_LEN: '10',
      ANS_1: '??x?',
      ANS_1_HEX: '0901787f',
      ANS_1_LEN: '4',
      ANS_2: '',
      ANS_2_HEX: '',
      ANS_2_LEN: '0',
      ANS_3: '<null>',
    });
  });

  it('a Uint8Array answer to a text prompt arrives as raw bytes', async () => {
    const env = await authEnv('[auth]\nmsg echo-off "a"\nsend\nexpect-answer 0 "\\xffA\\x80"\nexport-answers U\n', {
      conversation: () => [Uint8Array.from([0xff, 0x41, 0x80])],
    });
    expect(env.U_0_HEX).toBe('ff4180');
    expect(env.U_0_LEN).toBe('3');
  });

  it('a 512-byte answer (the addon maximum) comes through whole', async () => {
    const long = 'x'.repeat(512);
    const env = await authEnv('[auth]\nmsg echo-off "a"\nsend\nexport-answers L\n', { conversation: () => [long] });
    expect(env.L_0).toBe(long);
    expect(env.L_0_LEN).toBe('512');
  });

  it('after a failed conversation: the code and N=-1', async () => {
    const env = await authEnv('[auth]\nmsg echo-off "a"\nsend\nexport-answers F\n', {
      conversation: () => {
        throw new Error('no');
      },
    });
    expect(env).toEqual({ F_RC: '19', F_N: '-1' });
  });

  it('after a conversation timeout: PAM_CONV_ERR', async () => {
    const env = await authEnv('[auth]\nmsg echo-off "a"\nsend\nexport-answers T\n', {
      conversationTimeoutMs: 100,
      conversation: (_messages, { signal }) =>
        new Promise<Answer[]>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    expect(env).toEqual({ T_RC: '19', T_N: '-1' });
  });

  it('only the last send counts', async () => {
    const conversation: Conversation = (messages) => messages.map((m) => m.text.toUpperCase());
    const env = await authEnv('[auth]\nmsg echo-on "a"\nmsg echo-on "b"\nsend\nmsg echo-on "c"\nsend\nexport-answers X\n', { conversation });
    expect(env).toEqual({ X_RC: '0', X_N: '1', X_0: 'C', X_0_HEX: '43', X_0_LEN: '1' });
  });
});

describe('fail-delay and sleep', () => {
  it('fail-delay asks for a delay; libpam keeps the largest request of a call', async () => {
    const tx = await start({ script: '[auth]\nfail-delay 800000\nfail-delay 100000\nreturn auth_err\n' });
    const error = await failure(tx.authenticate());
    expect(error.failDelayMs).toBeGreaterThanOrEqual(400);
    expect(error.failDelayMs).toBeLessThanOrEqual(1200);
  });

  it('sleep sleeps (in the module, not in the event loop)', async () => {
    const tx = await start({ script: '[auth]\nsleep 300\n' });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    await tx.authenticate();
    clearInterval(timer);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('set-item and export-item', () => {
  it('set-item sets every item the application can read back', async () => {
    const tx = await start({
      script: `[auth]
        set-item user "bob"
        set-item tty "/dev/pts/9"
        set-item rhost "host.example"
        set-item ruser "carol"
        set-item user_prompt "Who are you? "
        set-item xdisplay ":1"
        set-item authtok_type "UNIX"
        set-item service "Other-Service"`,
    });
    await tx.authenticate();
    expect(await tx.getItem('user')).toBe('bob');
    expect(await tx.getItem('tty')).toBe('/dev/pts/9');
    expect(await tx.getItem('rhost')).toBe('host.example');
    expect(await tx.getItem('ruser')).toBe('carol');
    expect(await tx.getItem('user_prompt')).toBe('Who are you? ');
    expect(await tx.getItem('xdisplay')).toBe(':1');
    expect(await tx.getItem('authtok_type')).toBe('UNIX');
    expect(await tx.getItem('service')).toBe('other-service'); // libpam lower-cases it
  });

  it('export-item puts items into the environment, <null> when unset', async () => {
    const tx = await start({
      script: '[auth]\nexport-item user U\nexport-item tty T\nexport-item rhost H\nexport-item service S\nexport-item xdisplay X\nexport-item ruser R\n',
    });
    await tx.setItem('tty', '/dev/tty3');
    await tx.setItem('rhost', 'remote.example');
    await tx.authenticate();
    expect(await tx.getenvlist()).toEqual({ U: 'alice', T: '/dev/tty3', H: 'remote.example', S: 'scripted', X: '<null>', R: '<null>' });
  });

  it('export-item xauthdata: the X authorization as NAME:HEX, <null> when unset', async () => {
    const unset = await start({ script: '[auth]\nexport-item xauthdata XA\n' });
    await unset.authenticate();
    expect(await unset.getenv('XA')).toBe('<null>');
    const tx = await start({ script: '[auth]\nexport-item xauthdata XA\n' });
    await tx.setXauthData('MIT-MAGIC-COOKIE-1', Uint8Array.from([0x00, 0x7f, 0xff, 0x10]));
    await tx.authenticate();
    expect(await tx.getenv('XA')).toBe('MIT-MAGIC-COOKIE-1:007fff10');
  });

  it('set-item then export-item in one section', async () => {
    const env = await authEnv('[auth]\nset-item user_prompt "Name: "\nexport-item user_prompt P\n');
    expect(env.P).toBe('Name: ');
  });
});

describe('putenv', () => {
  it('sets, replaces and unsets variables', async () => {
    const tx = await start({
      script: '[auth]\nputenv "A=1"\nputenv "B=two words"\nputenv "C=gone"\n[account]\nputenv "A=replaced"\nputenv "C"\n',
    });
    await tx.authenticate();
    expect(await tx.getenvlist()).toEqual({ A: '1', B: 'two words', C: 'gone' });
    await tx.acctMgmt();
    expect(await tx.getenvlist()).toEqual({ A: 'replaced', B: 'two words' });
  });

  it('sees what the application put there, and fails like pam_putenv', async () => {
    const tx = await start({ script: '[auth]\nputenv "FROM_APP"\n' });
    await tx.putenv('FROM_APP=1');
    await tx.authenticate();
    expect(await tx.getenv('FROM_APP')).toBeUndefined();
    // Unsetting a variable that is not there: pam_putenv's PAM_BAD_ITEM is returned.
    expect((await failure(tx.authenticate())).code).toBe('PAM_BAD_ITEM');
  });
});

describe('get-user', () => {
  it('with a user given at start: no prompt', async () => {
    const { batches, conversation } = converse();
    const env = await authEnv('[auth]\nget-user "Who? "\nexport-item user U\n', { conversation });
    expect(batches).toEqual([]);
    expect(env.U).toBe('alice');
  });

  it('without a user: prompts (echo-on) with the given prompt and sets PAM_USER', async () => {
    const { batches, conversation } = converse(() => 'bob');
    const tx = await start({ script: '[auth]\nget-user "Who? "\n', user: null, conversation });
    await tx.authenticate();
    expect(batches).toEqual([[{ style: 'echo-on', text: 'Who? ' }]]);
    expect(await tx.getItem('user')).toBe('bob');
  });

  it("without a prompt: the user_prompt item, else libpam's default", async () => {
    const first = converse(() => 'bob');
    const plain = await start({ script: '[auth]\nget-user\n', user: null, conversation: first.conversation });
    await plain.authenticate();
    expect(first.batches).toEqual([[{ style: 'echo-on', text: 'login:' }]]);

    const second = converse(() => 'bob');
    const custom = await start({ script: '[auth]\nget-user\n', user: null, conversation: second.conversation });
    await custom.setItem('user_prompt', 'Account: ');
    await custom.authenticate();
    expect(second.batches).toEqual([[{ style: 'echo-on', text: 'Account: ' }]]);
  });

  it("returns pam_get_user's error when the user cannot be asked", async () => {
    for (const conversation of [
      () => {
        throw new Error('no');
      },
      (messages: PamMessage[]) => messages.map(() => null),
    ]) {
      const tx = await start({ script: '[auth]\nget-user\nputenv "AFTER=yes"\n', user: null, conversation });
      expect((await failure(tx.authenticate())).code).toBe('PAM_CONV_ERR');
      expect(await tx.getenv('AFTER')).toBeUndefined();
    }
  });
});

describe('get-authtok and expect-authtok', () => {
  it('in auth: asks for the password once and keeps it as PAM_AUTHTOK', async () => {
    const { batches, conversation } = converse(() => 'hunter2');
    await authEnv('[auth]\nget-authtok\nexpect-authtok "hunter2"\n', { conversation });
    expect(batches).toEqual([[{ style: 'echo-off', text: 'Password: ' }]]);

    const wrong = await start({ script: '[auth]\nget-authtok\nexpect-authtok "hunter3"\n', conversation: () => ['hunter2'] });
    expect((await failure(wrong.authenticate())).code).toBe('PAM_AUTH_ERR');
  });

  it('expect-authtok without a token is PAM_AUTH_ERR', async () => {
    const tx = await start({ script: '[auth]\nexpect-authtok ""\n' });
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTH_ERR');
  });

  it('authtok_type shows in the prompt', async () => {
    const { batches, conversation } = converse(() => 'x');
    await authEnv('[auth]\nset-item authtok_type "UNIX"\nget-authtok\n', { conversation });
    expect(batches[0]![0]!.text).toBe('Password: ');
    const change = converse(() => 'new-one');
    const tx = await start({ script: '[chauthtok]\nset-item authtok_type "UNIX"\nget-authtok\n', conversation: change.conversation });
    await tx.chauthtok();
    expect(change.batches.map((b) => b[0]!.text)).toEqual(['New UNIX password: ', 'Retype new UNIX password: ']);
  });

  it('in chauthtok: new password twice; a mismatch fails with libpam\'s message', async () => {
    const same = converse(() => 'n3w-pass');
    const ok = await start({ script: '[chauthtok]\nget-authtok\nexpect-authtok "n3w-pass"\n', conversation: same.conversation });
    await ok.chauthtok();
    expect(same.batches.map((b) => b.map((m) => `${m.style} ${m.text}`))).toEqual([['echo-off New password: '], ['echo-off Retype new password: ']]);

    let n = 0;
    const differ = converse(() => `attempt-${n++}`);
    const bad = await start({ script: '[chauthtok]\nget-authtok\n', conversation: differ.conversation });
    expect((await failure(bad.chauthtok())).code).toBe('PAM_TRY_AGAIN');
    expect(differ.batches.at(-1)).toEqual([{ style: 'error', text: 'Sorry, passwords do not match.' }]);
  });

  it("get-authtok returns pam_get_authtok's error (PAM_AUTHTOK_ERR when nothing was answered)", async () => {
    const tx = await start({
      script: '[auth]\nget-authtok\nputenv "AFTER=yes"\n',
      conversation: () => {
        throw new Error('no');
      },
    });
    expect((await failure(tx.authenticate())).code).toBe('PAM_AUTHTOK_ERR');
    expect(await tx.getenv('AFTER')).toBeUndefined();
  });
});

describe('record, record-cleanup and count: threads and handles', () => {
  it('every call and pam_end run on the transaction thread, not the JS thread', async () => {
    const record = tempFile('record');
    const tx = await start({
      script: `[auth]\nrecord ${record}\nrecord-cleanup ${record}\n[account]\nrecord ${record}\n[open_session]\nrecord ${record}\n`,
    });
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.openSession();
    expect(recordLines(record)).toHaveLength(3); // the cleanup has not run yet
    await endNow(tx);
    const lines = recordLines(record).map((l) => Object.fromEntries(l.split(' ').slice(1).map((kv) => kv.split('='))));
    const sections = recordLines(record).map((l) => l.split(' ')[0]);
    expect(sections).toEqual(['auth', 'account', 'open_session', 'cleanup']);
    const tid = lines[0]!.tid;
    expect(Number(tid)).not.toBe(process.pid);
    for (const line of lines) expect(line.tid).toBe(tid);
    for (const line of lines.slice(0, 3)) expect(line.pid).toBe(String(process.pid));
    expect(lines[3]!.status).toBe('0');
  });

  it('pam_end gets the last call\'s status by default, or the one given to end()', async () => {
    const record = tempFile('cleanup');
    const failed = await start({ script: `[auth]\nrecord-cleanup ${record}\nreturn auth_err\n` });
    await failure(failed.authenticate());
    await endNow(failed);
    const explicit = await start({ script: `[auth]\nrecord-cleanup ${record}\n` });
    await explicit.authenticate();
    await endNow(explicit, 6);
    expect(recordLines(record).map((l) => l.split(' ')[2])).toEqual(['status=7', 'status=6']);
  });

  it('record-cleanup twice: the replaced cleanup runs at once, flagged PAM_DATA_REPLACE', async () => {
    const record = tempFile('replace');
    const tx = await start({ script: `[auth]\nrecord-cleanup ${record}\nrecord-cleanup ${record}\n` });
    await tx.authenticate();
    const statuses = recordLines(record).map((l) => Number(l.split('status=')[1]));
    expect(statuses).toHaveLength(1);
    expect(statuses[0]! & 0x20000000).not.toBe(0);
    await endNow(tx);
    expect(recordLines(record)).toHaveLength(2);
  });

  it('count keeps one counter per handle and name, across calls and functions', async () => {
    const script = '[auth]\ncount HITS\n[account]\ncount HITS\ncount OTHER\n';
    const a = await start({ script });
    const b = await start({ script });
    await a.authenticate();
    await a.authenticate();
    await a.acctMgmt();
    await b.acctMgmt();
    expect(await a.getenv('HITS')).toBe('3');
    expect(await a.getenv('OTHER')).toBe('1');
    expect(await b.getenv('HITS')).toBe('1');
  });

  it('transactions run the module at the same time, each on its own thread', async () => {
    // A is held inside its conversation (on its thread) until B has finished a whole call.
    const record = tempFile('concurrent');
    let releaseA: (answers: Answer[]) => void = () => undefined;
    const aConversation: Conversation = () => new Promise<Answer[]>((resolve) => (releaseA = resolve));
    let aAsked!: () => void;
    const aIsWaiting = new Promise<void>((resolve) => (aAsked = resolve));
    const a = await start({
      script: `[auth]\nrecord ${record}\nmsg echo-off "A? "\nsend\nexpect-answer 0 "a"\ncount RUNS\n`,
      conversation: (messages, ctx) => {
        aAsked();
        return aConversation(messages, ctx);
      },
    });
    const b = await start({ script: `[auth]\nrecord ${record}\ncount RUNS\n` });
    const aDone = a.authenticate();
    await aIsWaiting;
    await b.authenticate();
    expect(await b.getenv('RUNS')).toBe('1');
    releaseA(['a']);
    await aDone;
    expect(await a.getenv('RUNS')).toBe('1');
    const tids = recordLines(record).map((l) => l.split(' ')[1]);
    expect(new Set(tids).size).toBe(2);
  });

  it('several transactions sleeping in the module at once all finish, on distinct threads', async () => {
    const record = tempFile('parallel');
    const script = `[auth]\nrecord ${record}\nsleep 200\ncount DONE\n`;
    const txs = await Promise.all(Array.from({ length: 4 }, () => start({ script })));
    await Promise.all(txs.map((tx) => tx.authenticate()));
    for (const tx of txs) expect(await tx.getenv('DONE')).toBe('1');
    const tids = recordLines(record).map((l) => l.split(' ')[1]);
    expect(tids).toHaveLength(4);
    expect(new Set(tids).size).toBe(4);
  });

  it('a record file that cannot be written is PAM_SYSTEM_ERR', async () => {
    const tx = await start({ script: `[auth]\nrecord ${join(work, 'no-such-dir', 'file')}\n` });
    expect((await failure(tx.authenticate())).code).toBe('PAM_SYSTEM_ERR');
  });
});

describe('hang', () => {
  // A module that never returns leaves its thread stuck for good, so these run in
  // child processes, never in the test process.
  const stuckScript = (record: string) => `[auth]\nrecord ${record}\nhang\n`;

  it('abort() settles a call whose module hangs', async () => {
    const record = tempFile('hang-abort');
    const conf = makeConfDir({ scripted: stack(`script=${writeScript(stuckScript(record))}`) });
    const child = await runChild(
      `const { PamTransaction } = require(process.env.GH_INDEX);
      const { existsSync } = require('node:fs');
      (async () => {
        const tx = await PamTransaction.start({ service: 'scripted', user: 'alice', confDir: process.env.GH_CONF, conversation: () => [] });
        const call = tx.authenticate().then(() => 'resolved', (e) => e.name + ' ' + e.code);
        while (!existsSync(process.env.GH_RECORD)) await new Promise((r) => setTimeout(r, 20));
        tx.abort(new Error('stuck'));
        console.log(await call);
        process.exit(0);
      })();`,
      { env: { GH_CONF: conf.dir, GH_RECORD: record } },
    );
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim()).toBe('AbortError ABORT_ERR');
    expect(child.code).toBe(0);
  });

  it('tearing down the environment (a worker terminated) does not wait for the stuck module', async () => {
    const record = tempFile('hang-worker');
    const conf = makeConfDir({ scripted: stack(`script=${writeScript(stuckScript(record))}`) });
    const child = await runChild(
      `const { Worker, isMainThread, parentPort } = require('node:worker_threads');
      const { existsSync } = require('node:fs');
      if (isMainThread) {
        const worker = new Worker(__filename);
        worker.on('error', (e) => console.log('worker error', e));
        worker.once('message', async () => {
          const exitCode = await worker.terminate();
          console.log('terminated ' + exitCode);
        });
      } else {
        const { PamTransaction } = require(process.env.GH_INDEX);
        (async () => {
          const tx = await PamTransaction.start({ service: 'scripted', user: 'alice', confDir: process.env.GH_CONF, conversation: () => [] });
          tx.authenticate().catch(() => {});
          while (!existsSync(process.env.GH_RECORD)) await new Promise((r) => setTimeout(r, 20));
          parentPort.postMessage('stuck');
        })();
      }`,
      { env: { GH_CONF: conf.dir, GH_RECORD: record } },
    );
    expect(child.timedOut).toBe(false);
    expect(child.stdout.trim()).toBe('terminated 1');
    expect(child.code).toBe(0);
    expect(child.stderr).toMatch(/did not return/);
    expect(recordLines(record).map((l) => l.split(' ')[0])).toEqual(['auth']);
  });
});
