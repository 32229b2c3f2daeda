// The shells the app runs: a PAM flow in login, unlock or elevate mode, or the
// askpass prompt. Each returns a GuardedShell ready to start.
import { readFileSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Session } from 'electron';
import type { Log } from '../../auth/log';
import type { Mode } from '../../protocol';
import type { BuiltFiles } from './app-origin';
import { AskpassEngine } from '../../askpass/askpass-engine';
import { UsageError, type ConfigSelection } from '../../launch/command-line';
import { loadSelection, screenLocale } from '../../config';
import type { EngineChoice } from '../../config';
import { engineFactoryFor, type EngineFactory } from '../engine-choice';
import { GuardedShell, type GuardedShellOptions } from './guarded-shell';

export interface ShellRuntime {
  session: Session;
  files: BuiltFiles;
  production: boolean;
  log: Log;
}

/** Where a PAM shell's engine comes from, and the factory that makes it. */
export interface PamShellEngine {
  choice: EngineChoice;
  create: EngineFactory;
}

/**
 * The engine of a PAM mode: in this process, or (login) the engine daemon's, or
 * with greetd running PAM. For an engine in this process the configuration is
 * read now: problems (and a login screen with no session) throw UsageError. Call
 * it before the app is ready: a shell that cannot start should say so without a
 * display. (The engine daemon's configuration is the daemon's.) An engine in
 * this process changes an expired password through passwd where it runs as the
 * user (engine-choice.ts).
 */
export function pamShellEngine(mode: Mode, config: ConfigSelection, choice: EngineChoice = { kind: 'in-process' }): PamShellEngine {
  return { choice, create: engineFactoryFor(choice, mode, config) };
}

/**
 * login, unlock or elevate on the engine pamShellEngine made.
 * `guard`: the shell runs as gatehouse-guard's UI child (unlock).
 */
export function pamShell(mode: Mode, engine: PamShellEngine, runtime: ShellRuntime, guard?: GuardedShellOptions['guard']): GuardedShell {
  return new GuardedShell({
    mode,
    createEngine: engine.create,
    // greetd starts the session once its greeter has exited: a login ends the app.
    policy: { endsOnLogin: engine.choice.kind === 'greetd' },
    session: runtime.session,
    preloadFile: runtime.files.preloadFile,
    production: runtime.production,
    log: runtime.log,
    ...(guard === undefined ? {} : { guard }),
  });
}

/**
 * SUDO_ASKPASS: the answer goes to stdout, which must be a pipe (sudo's), never
 * a terminal where it would be shown.
 */
export function askpassShell(prompt: string, config: ConfigSelection, runtime: ShellRuntime): GuardedShell {
  if (isatty(1)) throw new UsageError('askpass writes the answer to stdout, which is a terminal here: refusing (run it as SUDO_ASKPASS)');
  const loaded = loadSelection(config);
  const { theme } = loaded;
  const locale = screenLocale(loaded);
  return new GuardedShell({
    mode: 'elevate',
    createEngine: (observer) =>
      new AskpassEngine(
        {
          prompt,
          program: parentProgram(),
          locale,
          theme,
          deliver: (answer) => {
            // sudo reads one line: an answer with a line break cannot be passed on.
            if (answer.includes(0x0a)) return false;
            try {
              // The bytes themselves, then the line's end: no string copy of the answer.
              writeAll(1, answer);
              writeAll(1, NEWLINE);
              return true;
            } catch {
              return false;
            }
          },
        },
        observer,
      ),
    session: runtime.session,
    preloadFile: runtime.files.preloadFile,
    production: runtime.production,
    log: runtime.log,
  });
}

const NEWLINE = Uint8Array.of(0x0a);

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.byteLength; ) written += writeSync(fd, bytes, written);
}

/** The name of the program that started us (sudo, for SUDO_ASKPASS), as the prompt shows it. */
function parentProgram(): string {
  try {
    const name = readFileSync(`/proc/${process.ppid}/comm`, 'utf8').trim();
    return name === '' ? 'a program' : name.slice(0, 64);
  } catch {
    return 'a program';
  }
}
