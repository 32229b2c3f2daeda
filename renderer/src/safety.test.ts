/// <reference types="node" />
// The page's safety rules, checked on the sources and on index.html: PAM text is
// untrusted, the CSP allows no inline code, and the page loads nothing remote.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|css)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('page safety', () => {
  const files = sourceFiles(join(RENDERER, 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('never writes HTML from a string, never evaluates code', () => {
    const forbidden = [
      /dangerouslySetInnerHTML/,
      /\.innerHTML\b/,
      /\.outerHTML\b/,
      /insertAdjacentHTML/,
      /\beval\s*\(/,
      /new Function\s*\(/,
      /document\.write/,
    ];
    for (const { path, text } of files) {
      for (const pattern of forbidden) expect(pattern.test(text), `${path}: ${pattern}`).toBe(false);
    }
  });

  it('sets no inline styles (the CSP has no unsafe-inline for styles)', () => {
    for (const { path, text } of files.filter((f) => f.path.endsWith('.tsx'))) {
      expect(/\sstyle=\{/.test(text), path).toBe(false);
    }
  });

  it('loads nothing from another origin: no remote URL, font or import in code or styles', () => {
    for (const { path, text } of files) {
      expect(/https?:\/\/|@font-face|url\(\s*['"]?(?!data:)/.test(text), path).toBe(false);
    }
  });

  it('index.html has a strict CSP and no inline script or style', () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const required = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
    ];
    for (const directive of required) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    expect([...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!.trim())).toEqual(['']);
    expect(/<style\b|\sstyle=/.test(html)).toBe(false);
  });
});
