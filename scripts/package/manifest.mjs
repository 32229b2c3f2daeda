// build/deb/manifest: what the deb installs, one line per file (see the file's
// header for the format). Read by the packager (deb.mjs) and by the tests.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';

export const MANIFEST = join('build', 'deb', 'manifest');
/** The SOURCE that stands for the Electron application directory. */
export const APP_TREE = '@app';

/**
 * The manifest's entries: { source, target, mode, line }. Throws on a line
 * that is not SOURCE TARGET [MODE], a relative or repeated TARGET, or a bad MODE.
 */
export function readManifest(root) {
  const entries = [];
  const targets = new Set();
  readFileSync(join(root, MANIFEST), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      const fields = text.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
      if (fields.length === 0) return;
      const problem = (what) => new Error(`${MANIFEST}:${line}: ${what}`);
      if (fields.length > 3) throw problem('expected SOURCE TARGET [MODE]');
      if (fields.length < 2) throw problem('expected SOURCE TARGET [MODE]');
      const [source, target, modeText = '0644'] = fields;
      if (!isAbsolute(target) || normalize(target) !== target || target.endsWith('/')) {
        throw problem(`TARGET ${target} must be an absolute, normalized path`);
      }
      if (source !== APP_TREE && (isAbsolute(source) || normalize(source).startsWith('..'))) {
        throw problem(`SOURCE ${source} must be a path inside the repository (or ${APP_TREE})`);
      }
      if (!/^0[0-7]{3}$/.test(modeText)) throw problem(`MODE ${modeText} must be octal, like 0644 or 0755`);
      if (targets.has(target)) throw problem(`${target} is installed twice`);
      targets.add(target);
      entries.push({ source, target, mode: parseInt(modeText, 8), line });
    });
  return entries;
}

/** Files under /etc: dpkg keeps an administrator's changes to them. */
export function conffiles(entries) {
  return entries.filter((e) => e.target.startsWith('/etc/')).map((e) => e.target);
}

/** Unit file names installed for the system manager and for user managers. */
export function units(entries) {
  const named = (dir) =>
    entries
      .filter((e) => e.target.startsWith(`${dir}/`) && /\.(service|socket|timer|path|target)$/.test(e.target))
      .map((e) => e.target.slice(dir.length + 1));
  return { system: named('/usr/lib/systemd/system'), user: named('/usr/lib/systemd/user') };
}

/** The sysusers.d file the manifest installs (its TARGET), if any. */
export function sysusersEntry(entries) {
  const found = entries.filter((e) => e.target.startsWith('/usr/lib/sysusers.d/'));
  if (found.length > 1) throw new Error(`${MANIFEST}: one sysusers.d file at most (${found.map((e) => e.target).join(', ')})`);
  return found[0];
}

/** The account names a sysusers.d file creates (its u and g lines). */
export function sysusersAccounts(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[ug]\s/.test(line))
    .map((line) => line.split(/\s+/)[1]);
}
