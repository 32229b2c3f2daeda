// Session discovery over real desktop entry files, written by each test into its
// own data directories, with real programs (written here too) behind TryExec and Exec.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../lab/tmp';
import { dataDirsFromEnvironment, discoverSessions, findProgram, MAX_ENTRY_BYTES, type SessionDiscovery } from '..';
import { parseDesktopEntry, parseExec } from '../desktop-entry';

/** A data directory with a bin/ of executables the sessions may name. */
function dataDir(): { root: string; bin: string } {
  const root = makeTempDir('gatehouse-sessions-');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  return { root, bin };
}

function program(bin: string, name: string, executable = true): string {
  const path = join(bin, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, executable ? 0o755 : 0o644);
  return path;
}

function entry(root: string, subdir: 'xsessions' | 'wayland-sessions', file: string, text: string): string {
  mkdirSync(join(root, subdir), { recursive: true });
  const path = join(root, subdir, file);
  writeFileSync(path, text);
  return path;
}

function discover(dirs: string[], bin: string, locale?: string): SessionDiscovery {
  return discoverSessions({ dataDirs: dirs, searchPath: bin, ...(locale === undefined ? {} : { locale }) });
}

function reasons(result: SessionDiscovery): Record<string, string> {
  return Object.fromEntries(result.skipped.map((s) => [s.file.split('/').slice(-1)[0]!, s.reason]));
}

describe('discoverSessions', () => {
  it('offers X11 and Wayland sessions with Name, Exec, TryExec and DesktopNames', () => {
    const { root, bin } = dataDir();
    const plasma = program(bin, 'startplasma-x11');
    program(bin, 'sway');
    entry(
      root,
      'xsessions',
      'plasma.desktop',
      `[Desktop Entry]\nType=XSession\nExec=${plasma}\nTryExec=startplasma-x11\nDesktopNames=KDE\nName=Plasma (X11)\nName[de]=Plasma (X11, deutsch)\nComment=Plasma by KDE\n`,
    );
    entry(
      root,
      'wayland-sessions',
      'sway.desktop',
      '[Desktop Entry]\nName=Sway\nComment=An i3-compatible Wayland compositor\nExec=sway --unsupported-gpu %U\nType=Application\nDesktopNames=sway;wlroots;\n',
    );
    const result = discover([root], bin);
    expect(result.skipped).toEqual([]);
    expect(result.searched).toEqual([join(root, 'wayland-sessions'), join(root, 'xsessions')]);
    expect(result.sessions).toEqual([
      {
        id: 'plasma',
        name: 'Plasma (X11)',
        comment: 'Plasma by KDE',
        argv: [plasma],
        type: 'x11',
        desktopNames: ['KDE'],
        file: join(root, 'xsessions', 'plasma.desktop'),
      },
      {
        id: 'sway',
        name: 'Sway',
        comment: 'An i3-compatible Wayland compositor',
        argv: ['sway', '--unsupported-gpu'],
        type: 'wayland',
        desktopNames: ['sway', 'wlroots'],
        file: join(root, 'wayland-sessions', 'sway.desktop'),
      },
    ]);
    expect(discover([root], bin, 'de-DE').sessions[0]!.name).toBe('Plasma (X11, deutsch)');
  });

  it('skips hidden, NoDisplay and uninstalled sessions, and broken files, saying why', () => {
    const { root, bin } = dataDir();
    program(bin, 'good-session');
    program(bin, 'not-executable', false);
    const ok = '[Desktop Entry]\nName=Good\nExec=good-session\n';
    entry(root, 'xsessions', 'good.desktop', ok);
    entry(root, 'xsessions', 'hidden.desktop', `${ok}Hidden=true\n`);
    entry(root, 'xsessions', 'nodisplay.desktop', `${ok}NoDisplay=true\n`);
    entry(root, 'xsessions', 'badbool.desktop', `${ok}NoDisplay=yes\n`);
    entry(root, 'xsessions', 'tryexec.desktop', `${ok}TryExec=/nonexistent/startdesktop\n`);
    entry(root, 'xsessions', 'program.desktop', '[Desktop Entry]\nName=Gone\nExec=gone-session --flag\n');
    entry(root, 'xsessions', 'noexec.desktop', '[Desktop Entry]\nName=Not executable\nExec=not-executable\n');
    entry(root, 'xsessions', 'noname.desktop', '[Desktop Entry]\nExec=good-session\n');
    entry(root, 'xsessions', 'noexeckey.desktop', '[Desktop Entry]\nName=No Exec\n');
    entry(root, 'xsessions', 'quote.desktop', '[Desktop Entry]\nName=Quote\nExec="good-session\n');
    entry(root, 'xsessions', 'fieldcode.desktop', '[Desktop Entry]\nName=Code\nExec=good-session %z\n');
    entry(root, 'xsessions', 'link.desktop', '[Desktop Entry]\nName=Link\nType=Link\nURL=https://example.org\n');
    entry(root, 'xsessions', 'nogroup.desktop', 'Name=Orphan\nExec=good-session\n');
    entry(root, 'xsessions', 'twice.desktop', `${ok}Name=Again\n`);
    entry(root, 'xsessions', 'huge.desktop', `${ok}#${'x'.repeat(MAX_ENTRY_BYTES)}\n`);
    entry(root, 'xsessions', 'bad id!.desktop', ok);
    entry(root, 'xsessions', 'README', ok);
    mkdirSync(join(root, 'xsessions', 'dir.desktop'));
    symlinkSync('/nonexistent/target.desktop', join(root, 'xsessions', 'dangling.desktop'));

    const result = discover([root], bin);
    expect(result.sessions.map((s) => s.id)).toEqual(['good']);
    expect(reasons(result)).toEqual({
      'badbool.desktop': 'NoDisplay must be true or false, not yes',
      'bad id!.desktop': 'the file name is not a usable session id (1 to 64 letters, digits, . _ -)',
      'dangling.desktop': 'cannot be read (ENOENT)',
      'dir.desktop': 'not a regular file',
      'fieldcode.desktop': 'Exec has an unknown field code %z',
      'hidden.desktop': 'Hidden=true',
      'huge.desktop': `larger than ${MAX_ENTRY_BYTES} bytes`,
      'link.desktop': 'Type is Link, not Application',
      'noexec.desktop': 'its program not-executable is not installed',
      'noexeckey.desktop': 'no Exec',
      'nodisplay.desktop': 'NoDisplay=true',
      'nogroup.desktop': 'line 1: a key before the [Desktop Entry] group',
      'noname.desktop': 'no Name',
      'program.desktop': 'its program gone-session is not installed',
      'quote.desktop': 'Exec has an unterminated quote',
      'tryexec.desktop': 'TryExec /nonexistent/startdesktop is not installed',
      'twice.desktop': 'line 4: Name appears twice',
    });
  });

  it('earlier data directories override later ones; an id in both types stays unique', () => {
    const local = dataDir();
    const system = dataDir();
    program(local.bin, 'gnome-session');
    entry(local.root, 'xsessions', 'gnome.desktop', '[Desktop Entry]\nName=GNOME local\nExec=gnome-session\n');
    entry(system.root, 'xsessions', 'gnome.desktop', '[Desktop Entry]\nName=GNOME system\nExec=gnome-session\n');
    entry(system.root, 'wayland-sessions', 'gnome.desktop', '[Desktop Entry]\nName=GNOME\nExec=gnome-session --wayland\n');
    const result = discover([local.root, system.root], local.bin);
    expect(result.sessions.map((s) => [s.id, s.name, s.type])).toEqual([
      ['gnome', 'GNOME', 'wayland'],
      ['gnome-x11', 'GNOME local (X11)', 'x11'],
    ]);
    expect(reasons(result)).toEqual({ 'gnome.desktop': `overridden by ${join(local.root, 'xsessions', 'gnome.desktop')}` });
  });

  it('finds nothing, without an error, where no session directory exists', () => {
    const { root, bin } = dataDir();
    expect(discover([root, join(root, 'missing')], bin)).toEqual({
      sessions: [],
      skipped: [],
      searched: [
        join(root, 'wayland-sessions'),
        join(root, 'missing', 'wayland-sessions'),
        join(root, 'xsessions'),
        join(root, 'missing', 'xsessions'),
      ],
    });
  });

  it('strips control characters from names and keeps them short', () => {
    const { root, bin } = dataDir();
    program(bin, 'desk');
    entry(root, 'xsessions', 'long.desktop', `[Desktop Entry]\nName=A\\tB\\n${'n'.repeat(300)}\nExec=desk\n`);
    const [session] = discover([root], bin).sessions;
    expect(session!.name).toBe(`A B ${'n'.repeat(124)}`);
  });
});

describe('desktop entry syntax', () => {
  it('Exec: quoting, escapes and field codes', () => {
    expect(parseExec('foo %U')).toEqual({ ok: true, value: ['foo'] });
    expect(parseExec('"/opt/My Desktop/start" --name "a \\"b\\" \\\\ \\$HOME" 100%%')).toEqual({
      ok: true,
      value: ['/opt/My Desktop/start', '--name', 'a "b" \\ $HOME', '100%'],
    });
    // The string escapes come first: \s is a blank inside an argument only when quoted.
    expect(parseExec('start\\sa "b\\sc"')).toEqual({ ok: true, value: ['start', 'a', 'b c'] });
    expect(parseExec('prog ""')).toEqual({ ok: true, value: ['prog', ''] });
    expect(parseExec('  %U  ')).toEqual({ ok: false, reason: 'Exec is empty' });
    expect(parseExec('prog %')).toEqual({ ok: false, reason: 'Exec has an unknown field code %' });
  });

  it('groups: only [Desktop Entry] counts, and it must come first', () => {
    const parsed = parseDesktopEntry('# comment\n[Desktop Entry]\nName = Spaced\n[Desktop Action new]\nName=Other\nExec=x\n');
    expect(parsed).toEqual({ ok: true, value: new Map([['Name', 'Spaced']]) });
    expect(parseDesktopEntry('[Other]\nName=x\n')).toEqual({ ok: false, reason: 'the first group must be [Desktop Entry], not [Other]' });
    expect(parseDesktopEntry('')).toEqual({ ok: false, reason: 'no [Desktop Entry] group' });
    expect(parseDesktopEntry('[Desktop Entry]\nthis is not a key\n')).toEqual({ ok: false, reason: 'line 2: not a key=value line' });
  });

  it('XDG_DATA_DIRS: absolute entries, else the defaults', () => {
    expect(dataDirsFromEnvironment(undefined)).toEqual(['/usr/local/share', '/usr/share']);
    expect(dataDirsFromEnvironment('')).toEqual(['/usr/local/share', '/usr/share']);
    expect(dataDirsFromEnvironment('relative:/opt/share::/usr/share')).toEqual(['/opt/share', '/usr/share']);
  });

  it('programs: a path must be absolute and executable; a name is looked up in absolute PATH entries only', () => {
    const { bin } = dataDir();
    const tool = program(bin, 'tool');
    expect(findProgram('tool', `relative:${bin}`)).toBe(tool);
    expect(findProgram(tool, '')).toBe(tool);
    expect(findProgram('bin/tool', bin)).toBeUndefined();
    expect(findProgram('tool', 'relative')).toBeUndefined();
    expect(findProgram('', bin)).toBeUndefined();
  });
});
