// What a PAM service's stack does, as far as the engine needs to know: whether
// its auth group runs pam_faillock with `preauth`, which then keeps the lockout
// (a locked account is refused before its password is checked, whatever it is).
// The service file is read the way libpam reads it: from the confdir when one is
// given, otherwise /etc/pam.d and then /usr/lib/pam.d, following `@include`,
// `include` and `substack` (relative to the same directory).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYSTEM_DIRS = ['/etc/pam.d', '/usr/lib/pam.d'];
const MAX_DEPTH = 16;

interface StackLine {
  type: string;
  control: string;
  module: string;
  args: string[];
}

/** Whether the service's auth group has `pam_faillock.so preauth`. */
export function usesFaillockPreauth(service: string, confDir: string | undefined): boolean {
  const lines = authLines(service, confDir === undefined ? SYSTEM_DIRS : [confDir], 0);
  return lines.some((l) => basename(l.module) === 'pam_faillock.so' && l.args.includes('preauth'));
}

function authLines(service: string, dirs: string[], depth: number): StackLine[] {
  if (depth > MAX_DEPTH || service.includes('/') || service.startsWith('.')) return [];
  const text = readService(service, dirs);
  if (text === undefined) return [];
  const found: StackLine[] = [];
  for (const line of parseService(text)) {
    if (line.type === '@include') {
      found.push(...authLines(line.control, dirs, depth + 1));
      continue;
    }
    if (line.type.replace(/^-/, '').toLowerCase() !== 'auth') continue;
    if (line.control === 'include' || line.control === 'substack') {
      found.push(...authLines(line.module, dirs, depth + 1));
      continue;
    }
    found.push(line);
  }
  return found;
}

function readService(service: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    try {
      return readFileSync(join(dir, service), 'utf8');
    } catch {
      // not there: the next directory
    }
  }
  return undefined;
}

/** The service file's lines as fields: continuation lines joined, comments dropped, [...] controls kept whole. */
function parseService(text: string): StackLine[] {
  const lines: StackLine[] = [];
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const fields = line.match(/\[[^\]]*\]|\S+/g) ?? [];
    const [type = '', control = '', module = '', ...args] = fields;
    lines.push({ type, control, module, args });
  }
  return lines;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
