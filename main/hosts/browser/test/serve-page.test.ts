// `gatehouse serve` serving the page and the renderer's files: the one-time entry
// URL and the session cookie it gives, strict static serving (no traversal, no
// dotfiles, no symlinks out, right content types), the security headers, and the
// 503 before the UI is built.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../lab/paths';
import { makeTempDir } from '../../../../lab/tmp';
import { runCli } from '../../../test/cli-process';
import { enter, rawRequest, startServe, stopServe, type Served } from './serve-process';

const INDEX = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>\n';
const OUTSIDE = 'outside-the-root: must never be served';

/** A renderer build with a few traps around it. */
function makeRendererDir(): string {
  const base = makeTempDir('gatehouse-renderer-');
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, 'empty-dir'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app");\n');
  writeFileSync(join(root, 'assets', 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  writeFileSync(join(root, 'assets', 'font.woff2'), 'wOF2');
  writeFileSync(join(root, 'assets', 'blob.xyz'), 'opaque');
  writeFileSync(join(root, '.env'), 'SECRET=1\n');
  writeFileSync(join(base, 'outside.txt'), OUTSIDE);
  symlinkSync(join(base, 'outside.txt'), join(root, 'assets', 'link-out.js'));
  symlinkSync('/etc', join(root, 'etc'));
  return root;
}

const CSP = (port: number) =>
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  `connect-src 'self' ws://127.0.0.1:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;

function configArgs(): string[] {
  const file = join(makeTempDir('gatehouse-config-'), 'config.json');
  writeFileSync(file, JSON.stringify({ elevate: { adminGroup: null } }));
  return ['--config', file, '--confdir', makeTempDir('gatehouse-conf-')];
}

describe('gatehouse serve: the page and its files', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe(['--mode', 'unlock', ...configArgs(), '--renderer', makeRendererDir()]);
  });
  afterAll(async () => {
    await stopServe(served);
  });

  it('serves the page with the session cookie, with every security header', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await rawRequest(served.port, path, { headers: { Cookie: served.cookie } });
      expect(res.status).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CSP(served.port));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses the page without the session cookie (403)', async () => {
    const [name, value] = served.cookie.split('=') as [string, string];
    const cookies = [undefined, `${name}=`, `${name}=${value}x`, `${name}=${value}; ${name}=${value}`, `other=${value}`];
    for (const cookie of cookies) {
      const res = await rawRequest(served.port, '/', { headers: cookie === undefined ? {} : { Cookie: cookie } });
      expect(res.status, cookie).toBe(403);
      expect(res.body).not.toContain('<script');
    }
    // The old way in (a token in the address) is gone.
    expect((await rawRequest(served.port, `/?token=${value}`)).status).toBe(403);
  });

  it('serves the renderer files with their content types and the same headers', async () => {
    const expected: Record<string, string> = {
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/app.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/font.woff2': 'font/woff2',
      '/assets/blob.xyz': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expected)) {
      const res = await rawRequest(served.port, path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toBe(type);
      expect(res.headers['content-security-policy']).toBe(CSP(served.port));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const head = await rawRequest(served.port, '/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("app");\n'.length));
    expect(head.body).toBe('');
  });

  it('never serves anything outside the root, dotfiles or directories', async () => {
    const paths = [
      '/../outside.txt',
      '/assets/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/assets/..%5c..%5coutside.txt',
      '/assets/link-out.js',
      '/etc/passwd',
      '/etc/hostname',
      '/.env',
      '/%2eenv',
      '/assets',
      '/assets/',
      '/empty-dir',
      '/assets//app.js',
      '/assets/app.js%00.css',
      '/nothing-here.js',
    ];
    for (const path of paths) {
      const res = await rawRequest(served.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain(OUTSIDE);
      expect(res.body).not.toContain('root:');
    }
    expect((await rawRequest(served.port, '/assets/%E0%A4%A.js')).status).toBe(400);
    expect((await rawRequest(served.port, 'http://127.0.0.1/assets/app.js')).status).toBe(400);
  });

  it('answers only GET and HEAD (405), refuses foreign Host headers (403), and says where the socket is (426)', async () => {
    const post = await rawRequest(served.port, '/assets/app.js', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const rebinding = await rawRequest(served.port, '/', { headers: { Host: `attacker.example:${served.port}`, Cookie: served.cookie } });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).not.toContain('<script');
    const socketPage = await rawRequest(served.port, '/ws', { headers: { Cookie: served.cookie } });
    expect(socketPage.status).toBe(426);
  });
});

describe('gatehouse serve: the entry URL', () => {
  it('is printed once, spent by its first use for an HttpOnly, SameSite=Strict cookie, and redirects to a clean address', async () => {
    const served = await startServe(['--mode', 'unlock', ...configArgs(), '--renderer', makeRendererDir()], { enter: false });
    const url = new URL(served.url);
    expect(url.pathname).toBe('/enter');
    expect(url.searchParams.get('ticket')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A HEAD (a link checker) does not spend it.
    expect((await rawRequest(served.port, `${url.pathname}${url.search}`, { method: 'HEAD' })).status).toBe(405);
    const first = await rawRequest(served.port, `${url.pathname}${url.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^gatehouse-${served.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    // The cookie's value is not the ticket, and the ticket is spent.
    expect(cookie).not.toContain(url.searchParams.get('ticket'));
    const again = await rawRequest(served.port, `${url.pathname}${url.search}`);
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    // A browser that holds the cookie is sent on to the page (a prefetch may have spent the ticket).
    const session = cookie.split(';')[0]!;
    const holder = await rawRequest(served.port, `${url.pathname}${url.search}`, { headers: { Cookie: session } });
    expect(holder.status).toBe(303);
    expect(holder.headers['set-cookie']).toBeUndefined();
    expect((await rawRequest(served.port, '/', { headers: { Cookie: session } })).status).toBe(200);
    const exit = await stopServe(served);
    // Neither the ticket nor the cookie appears in serve's own output, but the one listening line.
    expect(exit.stderr).not.toContain(url.searchParams.get('ticket'));
    expect(exit.stdout + exit.stderr).not.toContain(session.split('=')[1]);
  });

  it('refuses a wrong or repeated ticket', async () => {
    const served = await startServe(['--mode', 'unlock', ...configArgs(), '--renderer', makeRendererDir()], { enter: false });
    const ticket = new URL(served.url).searchParams.get('ticket')!;
    for (const path of ['/enter', '/enter?ticket=', `/enter?ticket=${ticket}x`, `/enter?ticket=${ticket}&ticket=${ticket}`]) {
      expect((await rawRequest(served.port, path)).status, path).toBe(403);
    }
    // Still unspent: the right one works.
    expect(await enter(served)).toMatch(/^gatehouse-\d+=/);
    await stopServe(served);
  });
});

describe('gatehouse serve: before the UI is built', () => {
  it('answers the page with a 503 that says to run npm run build', async () => {
    const served = await startServe(['--mode', 'unlock', ...configArgs(), '--renderer', makeTempDir('gatehouse-unbuilt-')]);
    const res = await rawRequest(served.port, '/', { headers: { Cookie: served.cookie } });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CSP(served.port));
    expect(res.body).toMatch(/run `npm run build`/i);
    await stopServe(served);
  });

  it('refuses a --renderer that is not a directory (exit 2)', async () => {
    const result = await runCli(['serve', '--mode', 'unlock', ...configArgs(), '--renderer', '/nonexistent/renderer']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--renderer: \/nonexistent\/renderer is not a directory/);
  });
});

const BUILT_RENDERER = join(REPO_ROOT, 'dist', 'renderer', 'index.html');
const rendererBuilt = existsSync(BUILT_RENDERER);
if (!rendererBuilt) console.warn(`SKIP the built-renderer test: ${BUILT_RENDERER} does not exist (npm run build makes it)`);

describe.skipIf(!rendererBuilt)('gatehouse serve: the real renderer build (dist/renderer)', () => {
  it('serves the built page and every script and stylesheet it references', async () => {
    const served = await startServe(['--mode', 'unlock', ...configArgs()]);
    const page = await rawRequest(served.port, '/', { headers: { Cookie: served.cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toBe(readFileSync(BUILT_RENDERER, 'utf8'));
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]+\.(js|css))"/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(refs.length).toBeGreaterThan(0);
    for (const [ref, ext] of refs) {
      const url = new URL(ref, `http://127.0.0.1:${served.port}/`);
      const res = await rawRequest(served.port, url.pathname);
      expect(res.status, ref).toBe(200);
      expect(res.headers['content-type'], ref).toBe(ext === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
    }
    await stopServe(served);
  });
});
