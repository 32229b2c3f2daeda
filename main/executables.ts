// Finding the programs Gatehouse runs (its helpers in libexec, polkit's helper,
// the guard, Electron): whether a path may be executed by this process. One
// answer for every part that looks (access(2) with X_OK, as exec would decide).
import { accessSync, constants } from 'node:fs';

/** Whether this process may execute `path`. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `candidates` this process may execute, or undefined when none is there. */
export function firstExecutable(candidates: readonly string[]): string | undefined {
  return candidates.find(isExecutable);
}
