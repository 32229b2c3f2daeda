// Service directories for pam_start_confdir: only <dir>/<service> and <dir>/other
// are read, never /etc/pam.d. Modules outside the system module directory need
// absolute paths, and so do includes (a relative include escapes to /etc/pam.d).
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './tmp';
import { module } from './paths';

export interface ConfDir {
  dir: string;
  /** Adds or replaces a service file. */
  write(service: string, text: string): void;
}

/** A confdir holding the given services and an `other` that denies everything. */
export function makeConfDir(services: Record<string, string>, dir = makeTempDir('gatehouse-conf-')): ConfDir {
  const write = (service: string, text: string) => {
    const file = join(dir, service);
    writeFileSync(file, text.replace(/^\s+/gm, '').trim() + '\n');
    chmodSync(file, 0o644);
  };
  write(
    'other',
    ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${module('pam_deny.so')}`).join('\n'),
  );
  for (const [name, text] of Object.entries(services)) write(name, text);
  return { dir, write };
}
