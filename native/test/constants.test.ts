// `constants` holds every integer PAM_* macro of the installed headers, with the
// values the compiler sees; checked here against the preprocessor itself.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { constants, pamCodeName } from '../index';

function headerMacros(): Map<string, string> {
  const text = execFileSync('cpp', ['-dM', '-'], {
    input: '#include <security/pam_appl.h>\n#include <security/pam_modules.h>\n#include <security/pam_ext.h>\n',
    encoding: 'utf8',
  });
  const macros = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^#define (PAM_\w+) (\S+)\s*$/.exec(line);
    if (m) macros.set(m[1]!, m[2]!);
  }
  return macros;
}

function evaluate(value: string, macros: Map<string, string>): number | undefined {
  if (/^PAM_\w+$/.test(value)) {
    const target = macros.get(value);
    return target === undefined ? undefined : evaluate(target, macros);
  }
  const literal = value.replace(/[uU]$/, '');
  if (/^0x[0-9a-fA-F]+$/.test(literal)) return parseInt(literal, 16);
  if (/^\d+$/.test(literal)) return Number(literal);
  return undefined; // not an integer (PAM_EXTERN, function-like macros)
}

describe('constants', () => {
  it('match every integer PAM_* macro of the headers', () => {
    const macros = headerMacros();
    const expected = Object.fromEntries(
      [...macros].flatMap(([name, value]) => {
        const n = evaluate(value, macros);
        return n === undefined ? [] : [[name, n]];
      }),
    );
    expect(Object.keys(expected).length).toBeGreaterThan(60);
    expect({ ...constants }).toEqual(expected);
  });

  it('are read-only', () => {
    expect(Object.isFrozen(constants)).toBe(true);
  });

  it('name the return codes', () => {
    expect(constants.PAM_SUCCESS).toBe(0);
    expect(pamCodeName(constants.PAM_NEW_AUTHTOK_REQD!)).toBe('PAM_NEW_AUTHTOK_REQD');
    // Flags share numbers with return codes; names come from the return values only.
    expect(pamCodeName(constants.PAM_SILENT!)).toBe('PAM_UNKNOWN_ERROR');
    expect(pamCodeName(constants.PAM_AUTHTOK_RECOVERY_ERR!)).toBe('PAM_AUTHTOK_RECOVERY_ERR');
  });
});
