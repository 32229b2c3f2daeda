// Serving app:// from real directories: only plain files below a served root,
// with the right type and the security headers.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../lab/tmp';
import { assetResponse } from '../asset-response';
import { resolveAsset } from '../asset-resolver';
import { CONTENT_SECURITY_POLICY } from '../content-security-policy';

function servedTree() {
  const base = makeTempDir('gatehouse-app-');
  const ui = join(base, 'renderer');
  const shell = join(base, 'pages');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  mkdirSync(shell);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(ui, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(ui, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(ui, 'assets', 'data.bin'), 'opaque');
  writeFileSync(join(ui, '.env'), 'SECRET=1');
  writeFileSync(join(shell, 'cover.html'), '<!doctype html><title>cover</title>');
  writeFileSync(join(base, 'outside.js'), 'must never be served');
  symlinkSync(join(base, 'outside.js'), join(ui, 'assets', 'link-out.js'));
  symlinkSync('/etc', join(ui, 'etc'));
  mkdirSync(join(ui, 'folder.js'));
  return { ui, shell, roots: { gatehouse: ui, shell } };
}

const text = (body: Uint8Array | undefined) => new TextDecoder().decode(body);

describe('assetResponse', () => {
  const { roots } = servedTree();

  it('serves the UI and the shell pages with their type and the security headers', () => {
    const index = assetResponse('app://gatehouse/', 'GET', roots);
    expect(index.status).toBe(200);
    expect(text(index.body)).toContain('<title>ui</title>');
    expect(index.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    expect(assetResponse('app://gatehouse/assets/index-abc.js?v=1#x', 'GET', roots).headers['Content-Type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(assetResponse('app://gatehouse/assets/index-abc.css', 'GET', roots).headers['Content-Type']).toBe('text/css; charset=utf-8');
    expect(text(assetResponse('app://shell/cover.html', 'GET', roots).body)).toContain('cover');
  });

  it('keeps the hosts apart', () => {
    expect(assetResponse('app://shell/index.html', 'GET', roots).status).toBe(404);
    expect(assetResponse('app://gatehouse/cover.html', 'GET', roots).status).toBe(404);
    expect(assetResponse('app://elsewhere/index.html', 'GET', roots).status).toBe(404);
  });

  it('answers HEAD without a body and refuses other methods', () => {
    const head = assetResponse('app://gatehouse/index.html', 'HEAD', roots);
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(assetResponse('app://gatehouse/index.html', 'POST', roots).status).toBe(405);
  });

  it('never leaves the served directory', () => {
    for (const url of [
      'app://gatehouse/../outside.js',
      'app://gatehouse/%2e%2e/outside.js',
      'app://gatehouse/assets/..%2f..%2foutside.js',
      'app://gatehouse/assets%5c..%5c..%5coutside.js',
      'app://gatehouse/assets/link-out.js',
      'app://gatehouse/etc/passwd',
      'app://gatehouse/index.html%00.js',
    ]) {
      const response = assetResponse(url, 'GET', roots);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.body, url).toBeUndefined();
    }
  });

  it('refuses dotfiles, unknown types, directories and missing files', () => {
    expect(assetResponse('app://gatehouse/.env', 'GET', roots).status).toBe(404);
    expect(assetResponse('app://gatehouse/assets/data.bin', 'GET', roots).status).toBe(404);
    expect(assetResponse('app://gatehouse/folder.js', 'GET', roots).status).toBe(404);
    expect(assetResponse('app://gatehouse/missing.js', 'GET', roots).status).toBe(404);
  });

  it('refuses refusals with the CSP too, and no content type', () => {
    const refused = assetResponse('app://gatehouse/missing.js', 'GET', roots);
    expect(refused.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(refused.headers['Content-Type']).toBeUndefined();
  });
});

describe('resolveAsset', () => {
  it('refuses URLs of other schemes and malformed ones', () => {
    expect(resolveAsset('file:///etc/passwd', { gatehouse: '/x' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveAsset('app://gatehouse/%E0%A4%A', { gatehouse: '/x' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveAsset('::', { gatehouse: '/x' })).toMatchObject({ ok: false, status: 400 });
  });

  it('does not take inherited properties for hosts', () => {
    expect(resolveAsset('app://constructor/index.html', { gatehouse: '/x' })).toMatchObject({ ok: false, status: 404 });
  });
});

describe('the content security policy', () => {
  it('allows only the app’s own scripts and styles, no network, nothing inline, no framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*/);
  });
});
