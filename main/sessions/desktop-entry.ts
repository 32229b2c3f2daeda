// Desktop entry files (the freedesktop.org Desktop Entry Specification, 1.5), as
// far as session files need them: the [Desktop Entry] group, string escapes,
// localized keys, booleans, lists, and the Exec key's quoting and field codes.
// Parsing never throws: a file that breaks the rules gets a reason instead.

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The keys of the [Desktop Entry] group, raw (unescaped on read). */
export type DesktopEntry = ReadonlyMap<string, string>;

const GROUP = '[Desktop Entry]';
// Key names are A-Za-z0-9-, a localized key adds [lang_COUNTRY.ENCODING@MODIFIER].
const KEY_LINE = /^([A-Za-z0-9-]+(?:\[[^\]\s]+\])?)\s*=\s*(.*)$/;

/** The [Desktop Entry] group of a desktop entry file's text. */
export function parseDesktopEntry(text: string): ParseResult<DesktopEntry> {
  const keys = new Map<string, string>();
  let group: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) return fail(`line ${i + 1}: a group header must end with ]`);
      if (group === undefined && line !== GROUP) return fail(`the first group must be ${GROUP}, not ${shorten(line)}`);
      group = line;
      continue;
    }
    if (group === undefined) return fail(`line ${i + 1}: a key before the ${GROUP} group`);
    if (group !== GROUP) continue;
    const match = KEY_LINE.exec(line);
    if (match === null) return fail(`line ${i + 1}: not a key=value line`);
    const [, key, value] = match;
    if (keys.has(key!)) return fail(`line ${i + 1}: ${shorten(key!)} appears twice`);
    keys.set(key!, value!);
  }
  if (group === undefined) return fail(`no ${GROUP} group`);
  return { ok: true, value: keys };
}

/** A string value with the escapes \s \n \t \r \\ resolved. */
export function unescapeString(raw: string): string {
  return raw.replace(/\\([sntr\\]|$)/g, (_match, c: string) => ESCAPES[c] ?? '\\');
}

const ESCAPES: Record<string, string> = { s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' };

/** A boolean key: absent is false; anything but true/false is an error. */
export function booleanValue(entry: DesktopEntry, key: string): ParseResult<boolean> {
  const raw = entry.get(key);
  if (raw === undefined || raw === 'false') return { ok: true, value: false };
  if (raw === 'true') return { ok: true, value: true };
  return fail(`${key} must be true or false, not ${shorten(raw)}`);
}

/** A list key (strings separated by ;), escapes resolved, empty items dropped. */
export function listValue(entry: DesktopEntry, key: string): string[] {
  const raw = entry.get(key);
  if (raw === undefined) return [];
  // \; is a literal semicolon inside an item.
  return raw
    .split(/(?<!\\);/)
    .map((item) => unescapeString(item.replace(/\\;/g, ';')))
    .filter((item) => item !== '');
}

/**
 * A localized string key in the best match for `locale` (a language tag such as
 * pt-BR or a POSIX locale such as pt_BR.UTF-8@euro): lang_COUNTRY@MODIFIER,
 * lang_COUNTRY, lang@MODIFIER, lang, then the unlocalized key.
 */
export function localizedValue(entry: DesktopEntry, key: string, locale: string | undefined): string | undefined {
  for (const suffix of localeSuffixes(locale)) {
    const raw = entry.get(`${key}[${suffix}]`);
    if (raw !== undefined) return unescapeString(raw);
  }
  const raw = entry.get(key);
  return raw === undefined ? undefined : unescapeString(raw);
}

function localeSuffixes(locale: string | undefined): string[] {
  if (locale === undefined || locale === '') return [];
  const match = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z0-9]{2,8}))?(?:\.[^@]*)?(?:@(.+))?$/.exec(locale);
  if (match === null) return [];
  const lang = match[1]!.toLowerCase();
  const country = match[2] === undefined ? undefined : match[2].toUpperCase();
  const modifier = match[3];
  const suffixes: string[] = [];
  if (country !== undefined && modifier !== undefined) suffixes.push(`${lang}_${country}@${modifier}`);
  if (country !== undefined) suffixes.push(`${lang}_${country}`);
  if (modifier !== undefined) suffixes.push(`${lang}@${modifier}`);
  suffixes.push(lang);
  return suffixes;
}

// Field codes a launcher replaces with files, URLs, the icon, the name or the
// file's location (and the deprecated ones). A session gets none of those.
const FIELD_CODES = new Set(['f', 'F', 'u', 'U', 'i', 'c', 'k', 'd', 'D', 'n', 'N', 'v', 'm']);
// Inside double quotes, a backslash escapes only these.
const QUOTED_ESCAPES = new Set(['"', '`', '$', '\\']);

/**
 * The Exec key as argv: the string escapes first, then the quoting rules
 * (arguments split at unquoted blanks; "..." with \" \` \$ \\ inside), then the
 * field codes (%% is a percent sign, %f %u %i ... are dropped, any other is an
 * error).
 */
export function parseExec(raw: string): ParseResult<string[]> {
  const text = unescapeString(raw);
  const argv: string[] = [];
  let current = '';
  let inArgument = false;
  let fieldCodeOnly = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inArgument) finish();
      continue;
    }
    inArgument = true;
    if (c === '"') {
      fieldCodeOnly = false;
      let closed = false;
      for (i++; i < text.length; i++) {
        const q = text[i]!;
        if (q === '"') {
          closed = true;
          break;
        }
        if (q === '\\' && QUOTED_ESCAPES.has(text[i + 1] ?? '')) {
          current += text[++i];
          continue;
        }
        current += q;
      }
      if (!closed) return fail('Exec has an unterminated quote');
      continue;
    }
    if (c === '%') {
      const code = text[i + 1];
      i++;
      if (code === '%') {
        current += '%';
        fieldCodeOnly = false;
      } else if (code === undefined || !FIELD_CODES.has(code)) {
        return fail(`Exec has an unknown field code %${code ?? ''}`);
      }
      continue;
    }
    fieldCodeOnly = false;
    current += c;
  }
  if (inArgument) finish();
  if (argv.length === 0) return fail('Exec is empty');
  return { ok: true, value: argv };

  function finish(): void {
    // An argument that was only a field code (%U) disappears; "" stays.
    if (!(fieldCodeOnly && current === '')) argv.push(current);
    current = '';
    inArgument = false;
    fieldCodeOnly = true;
  }
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Shown in reasons: at most 64 characters, control characters made visible. */
export function shorten(text: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return visible.length > 64 ? `${visible.slice(0, 61)}...` : visible;
}
