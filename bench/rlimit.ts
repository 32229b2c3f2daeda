// RLIMIT_NOFILE of this process, read from /proc/self/limits (Node has no
// getrlimit). Node raises the soft limit to the hard one at start-up, and every
// child a PAM module forks inherits it: pam_exec and the helpers that close every
// descriptor up to the limit before exec pay for it.
import { readFileSync } from 'node:fs';

export function getrlimit(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s{2,}/).slice(1, 3).map(Number);
  return { soft: soft ?? NaN, hard: hard ?? NaN };
}
