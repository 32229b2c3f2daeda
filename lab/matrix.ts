// pam_matrix (libpam-wrapper) stacks: users and passwords from a passdb file, no root.
// passdb lines are `user:password:service`; account management succeeds only
// when the third field is the service name.
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './tmp';
import { wrapperModule } from './paths';
import { recordSecret } from './test-logs';

export interface MatrixUser {
  user: string;
  password: string;
  service: string;
}

export function writePassdb(users: MatrixUser[], dir = makeTempDir('gatehouse-passdb-')): string {
  for (const u of users) recordSecret(u.password);
  const file = join(dir, 'passdb');
  // pam_matrix dereferences NULL on a blank or short line: never write one.
  writeFileSync(file, users.map((u) => `${u.user}:${u.password}:${u.service}`).join('\n') + '\n');
  chmodSync(file, 0o644);
  return file;
}

/** A service file with pam_matrix on every management group. */
export function matrixService(passdb: string, options = ''): string {
  const m = `${wrapperModule('pam_matrix.so')} passdb=${passdb} ${options}`.trim();
  return ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${m}`).join('\n');
}
