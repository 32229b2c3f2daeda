// passwd's terminal output as PAM conversation batches, and the helper's frames,
// without passwd: the classification by position, the framing both ways.
import { describe, expect, it } from 'vitest';
import { answerFrame, FrameReader, MAX_ANSWER_BYTES } from '../frames';
import { helperCandidates } from '../helper-path';
import { passwdEnvironment } from '../passwd-run';
import { PasswdTranscript } from '../transcript';

describe('PasswdTranscript', () => {
  it('turns passwd’s screen into batches: lines before a prompt asked again are errors, the others information', () => {
    const t = new PasswdTranscript();
    t.output('Changing password for alice.\r\nCurrent password: ');
    expect(t.prompt(false)).toEqual([
      { style: 'info', text: 'Changing password for alice.' },
      { style: 'echo-off', text: 'Current password: ' },
    ]);
    t.output('\r\n');
    expect(t.prompt(false)).toBeUndefined(); // a line break is no prompt
    t.output('New password: ');
    expect(t.prompt(false)).toEqual([{ style: 'echo-off', text: 'New password: ' }]);
    t.output('\r\nBAD PASSWORD: The password is shorter than 12 characters\r\nNew password: ');
    expect(t.prompt(false)).toEqual([
      { style: 'error', text: 'BAD PASSWORD: The password is shorter than 12 characters' },
      { style: 'echo-off', text: 'New password: ' },
    ]);
    t.output('\r\nRetype new password: ');
    expect(t.prompt(false)).toEqual([{ style: 'echo-off', text: 'Retype new password: ' }]);
    t.output('\r\n');
    t.output('passwd: password updated successfully\r\n');
    expect(t.finish(true)).toEqual([{ style: 'info', text: 'passwd: password updated successfully' }]);
    expect(t.prompts).toBe(4);
  });

  it('words do not matter (passwd speaks the user’s language): only where a line stands', () => {
    const t = new PasswdTranscript();
    t.output('Changement du mot de passe pour alice.\nMot de passe actuel : ');
    expect(t.prompt(false)![0]).toEqual({ style: 'info', text: 'Changement du mot de passe pour alice.' });
    t.output('\nNouveau mot de passe : ');
    t.prompt(false);
    t.output('\nLes mots de passe ne correspondent pas.\nNouveau mot de passe : ');
    expect(t.prompt(false)![0]).toEqual({ style: 'error', text: 'Les mots de passe ne correspondent pas.' });
  });

  it('after a failure, what is left are errors; an echoing prompt is echo-on', () => {
    const t = new PasswdTranscript();
    t.output('Login name: ');
    expect(t.pendingPrompt).toBe(true);
    expect(t.prompt(true)).toEqual([{ style: 'echo-on', text: 'Login name: ' }]);
    t.output('\npasswd: Authentication failure\npasswd: password unchanged\n');
    expect(t.pendingPrompt).toBe(false);
    expect(t.finish(false)).toEqual([
      { style: 'error', text: 'passwd: Authentication failure' },
      { style: 'error', text: 'passwd: password unchanged' },
    ]);
  });
});

describe('the helper’s frames', () => {
  const frame = (type: string, body: Buffer | string) => {
    const bytes = Buffer.from(body);
    const header = Buffer.alloc(5);
    header[0] = type.charCodeAt(0);
    header.writeUInt32BE(bytes.length, 1);
    return Buffer.concat([header, bytes]);
  };

  it('reads output, quiet, refused and exit frames, split anywhere', () => {
    const reader = new FrameReader();
    const all = Buffer.concat([frame('o', 'New password: '), frame('q', '0'), frame('r', ''), frame('q', '1'), frame('x', 'exit 0')]);
    const frames = [...reader.push(all.subarray(0, 3)), ...reader.push(all.subarray(3, 20)), ...reader.push(all.subarray(20))];
    expect(frames).toEqual([
      { type: 'output', bytes: Buffer.from('New password: ') },
      { type: 'quiet', echo: false },
      { type: 'refused' },
      { type: 'quiet', echo: true },
      { type: 'exited', status: 'exit 0' },
    ]);
  });

  it('refuses what is not the helper speaking', () => {
    expect(() => new FrameReader().push(frame('z', ''))).toThrow(/unknown type/);
    const huge = Buffer.alloc(5);
    huge[0] = 0x6f;
    huge.writeUInt32BE(0xffffffff, 1);
    expect(() => new FrameReader().push(huge)).toThrow(/too large/);
  });

  it('frames an answer with the echo flag it expects, and refuses what cannot be typed', () => {
    const hidden = answerFrame('s3cret', false)!;
    expect(hidden[0]).toBe(0x61);
    expect(hidden.readUInt32BE(1)).toBe(7);
    expect(hidden.subarray(5).toString()).toBe('0s3cret');
    expect(answerFrame(new Uint8Array([0x61]), true)!.subarray(5).toString()).toBe('1a');
    expect(answerFrame('two\nlines', false)).toBeUndefined();
    expect(answerFrame('nul\0', false)).toBeUndefined();
    expect(answerFrame('x'.repeat(MAX_ANSWER_BYTES + 1), false)).toBeUndefined();
    expect(answerFrame('x'.repeat(MAX_ANSWER_BYTES), false)).toBeDefined();
  });
});

describe('passwd’s surroundings', () => {
  it('runs with a fixed PATH, a plain terminal, and the user’s language only', () => {
    expect(passwdEnvironment({ PATH: '/home/me/bin', LANG: 'fr_FR.UTF-8', LD_PRELOAD: '/tmp/x.so', HOME: '/home/me', LC_ALL: '' })).toEqual({
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      TERM: 'dumb',
      LANG: 'fr_FR.UTF-8',
    });
  });

  it('finds the helper in resources/libexec when packaged, /usr/libexec/gatehouse from the deb, dist/libexec from the sources or from dist/', () => {
    expect(helperCandidates('/src/g/main/sources/passwd', undefined)).toEqual([
      '/usr/libexec/gatehouse/gatehouse-passwd-pty',
      '/src/g/libexec/gatehouse-passwd-pty',
      '/src/g/dist/libexec/gatehouse-passwd-pty',
    ]);
    expect(helperCandidates('/opt/G/resources/app.asar/dist/main/sources/passwd', '/opt/G/resources')[0]).toBe('/opt/G/resources/libexec/gatehouse-passwd-pty');
    expect(helperCandidates('/src/g/dist/main/sources/passwd', undefined)[1]).toBe('/src/g/dist/libexec/gatehouse-passwd-pty');
  });
});
