// `gatehouse polkit-agent`'s command line and the subject it registers for.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../lab/tmp';
import { UsageError } from '../../config';
import { parsePolkitAgentArgs } from '../agent-command';
import { agentLocale } from '../locale';
import { describeSubject, processSubject, sessionSubject, startTimeOf, SubjectError, subjectValue } from '../subject';

describe('the command line', () => {
  it('defaults to the session, the app, and the configuration file', () => {
    expect(parsePolkitAgentArgs([])).toEqual({
      ui: 'app',
      json: false,
      subject: { session: 'own' },
      fallback: false,
      config: { overrides: {} },
      port: 0,
    });
  });

  it('takes a process, the terminal with JSON, a fallback registration and the helper timeout', () => {
    expect(parsePolkitAgentArgs(['--process', '1234', '--terminal', '--json', '--fallback', '--helper-timeout', '500', '--prompt-timeout', '0'])).toEqual({
      ui: 'terminal',
      json: true,
      subject: { process: 1234 },
      fallback: true,
      config: { overrides: { timeouts: { promptMs: 0 } } },
      port: 0,
      helperTimeoutMs: 500,
    });
    expect(parsePolkitAgentArgs(['--serve', '--port', '8080'])).toMatchObject({ ui: 'serve', port: 8080 });
    expect(parsePolkitAgentArgs(['--help'])).toBe('help');
  });

  it('refuses what does not fit together, naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--terminal', '--serve'], /exclude each other/],
      [['--json'], /--json goes with --terminal/],
      [['--port', '1'], /--port goes with --serve/],
      [['--terminal', '--renderer', '/'], /--renderer goes with --serve/],
      [['--process', '0'], /--process must be an integer/],
      [['--process', 'self'], /--process must be an integer/],
      [['--helper-timeout', '0'], /--helper-timeout must be an integer/],
      [['--user', 'alice'], /--user/],
      [['positional'], /positional/],
    ];
    for (const [args, problem] of cases) {
      expect(() => parsePolkitAgentArgs(args), args.join(' ')).toThrow(UsageError);
      expect(() => parsePolkitAgentArgs(args), args.join(' ')).toThrow(problem);
    }
  });

  it('registers in the locale of the environment, as polkit agents do', () => {
    expect(agentLocale({ LANG: 'de_DE.UTF-8' })).toBe('de_DE.UTF-8');
    expect(agentLocale({ LANG: 'de_DE.UTF-8', LC_MESSAGES: 'fr_FR.UTF-8' })).toBe('fr_FR.UTF-8');
    expect(agentLocale({ LC_ALL: 'C.UTF-8', LANG: 'de_DE.UTF-8' })).toBe('C.UTF-8');
    expect(agentLocale({})).toBe('C');
  });
});

describe('subjects', () => {
  it('reads the start time after the last parenthesis, whatever the command name holds', () => {
    const fields = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', '0'];
    expect(startTimeOf(`42 (a ) (b) ${fields.join(' ')}`)).toBe(987654n);
    expect(() => startTimeOf('42 (x) S 1')).toThrow(SubjectError);
  });

  it('names a process by pid, start time and real uid', () => {
    const proc = makeTempDir('gatehouse-proc-');
    mkdirSync(join(proc, '77'));
    writeFileSync(join(proc, '77', 'stat'), `77 (sh) S 1 ${Array.from({ length: 17 }, () => '0').join(' ')} 5555 0 0`);
    writeFileSync(join(proc, '77', 'status'), 'Name:\tsh\nUid:\t1000\t0\t0\t0\n');
    const subject = processSubject(77, proc);
    expect(subject).toEqual({ kind: 'unix-process', pid: 77, startTime: 5555n, uid: 1000 });
    expect(describeSubject(subject)).toBe('unix-process:77:5555:1000');
    const [kind, details] = subjectValue(subject);
    expect(kind).toBe('unix-process');
    expect(Object.fromEntries(Object.entries(details).map(([key, v]) => [key, [v.signature, v.value]]))).toEqual({
      pid: ['u', 77],
      'start-time': ['t', 5555n],
      uid: ['i', 1000],
    });
  });

  it('this process as a subject: its real start time, its uid', () => {
    const subject = processSubject(process.pid);
    expect(subject).toMatchObject({ kind: 'unix-process', pid: process.pid, uid: process.getuid!() });
    expect(subject.kind === 'unix-process' && subject.startTime > 0n).toBe(true);
  });

  it('refuses processes that do not exist and session ids that are not ids', () => {
    expect(() => processSubject(0)).toThrow(/positive integer/);
    expect(() => processSubject(4_194_303, makeTempDir('gatehouse-proc-'))).toThrow(/there is no process 4194303/);
    expect(sessionSubject('c2')).toEqual({ kind: 'unix-session', sessionId: 'c2' });
    expect(describeSubject(sessionSubject('c2'))).toBe('unix-session:c2');
    expect(() => sessionSubject('../../x')).toThrow(SubjectError);
  });
});
