// The UI's start-up: time from navigation to the first prompt having focus, in
// headless Chromium against a real `gatehouse serve` (unlock mode, pam_matrix
// stack), and the gzipped size of the JavaScript the page loads.
//
// Each UI run is a cold start: a fresh serve (not timed) and a fresh browser
// context (empty cache), so it includes loading the page, the WebSocket
// handshake, hello/context, begin, pam_start and the prompt. The baseline, in the
// same run and the same browser, is a navigation to a static blank page served by
// this process: what any page costs before it does anything.
//
// Both are read in the page, from the navigation's start (performance.timeOrigin):
// the UI's when the first prompt input gets focus (seen by an init script), the
// blank page's at the end of its load event. The DevTools round trips of the
// driver are not part of either.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { makeConfDir } from '../lab/confdir';
import { matrixService, writePassdb } from '../lab/matrix';
import { makeTempDir } from '../lab/tmp';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { median, percentile } from './measure';
import type { Bench, BenchLine } from './report';

const RUNS = 15;
/** First runs dropped: Chromium's own first-use costs (its caches, its processes). */
const WARMUP = 2;
const SERVICE = 'gatehouse-bench-ui';
const USER = 'bench';
const REPO_ROOT = join(__dirname, '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'main', 'cli.js');
/** The page's prompt inputs carry data-prompt-style (renderer/src/components/TextPrompt.tsx). */
const PROMPT_SELECTOR = 'input[data-prompt-style]';

interface Fixture {
  confDir: string;
  configFile: string;
}

function makeFixture(): Fixture {
  const passdb = writePassdb([{ user: USER, password: 'bench-password', service: SERVICE }]);
  const conf = makeConfDir({ [SERVICE]: matrixService(passdb) });
  const configFile = join(makeTempDir('gatehouse-bench-ui-'), 'config.json');
  writeFileSync(configFile, JSON.stringify({ theme: 'dark', locale: 'en' }));
  return { confDir: conf.dir, configFile };
}

interface Serve {
  url: string;
  child: ChildProcess;
}

async function startServe(fixture: Fixture): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--mode', 'unlock', '--config', fixture.configFile, '--confdir', fixture.confDir, '--service', SERVICE, '--user', USER],
    // The lockout's tallies in a temp dir, not in the machine's state directory.
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GATEHOUSE_STATE_DIR: makeTempDir('gatehouse-bench-state-') } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const parsed = JSON.parse(line) as { event?: string; url?: string };
      if (parsed.event === 'listening' && parsed.url !== undefined) resolve(parsed.url);
      else reject(new Error(`gatehouse serve: unexpected first line ${line.slice(0, 200)}`));
    });
    child.once('exit', (code) => reject(new Error(`gatehouse serve exited (${code}) before listening`)));
  });
  return { url, child };
}

async function stopServe(serve: Serve): Promise<void> {
  if (serve.child.exitCode !== null) return;
  const exited = new Promise((resolve) => serve.child.once('exit', resolve));
  serve.child.kill('SIGTERM');
  await exited;
}

function startBlankServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })),
  );
}

/** Runs `body` on a page of a fresh browser context (empty cache, no cookies). */
async function inFreshContext<T>(browser: Browser, body: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await body(await context.newPage());
  } finally {
    await context.close();
  }
}

// Runs in the page before its own scripts (as a string: this file is compiled
// without DOM types). Records, in ms from the navigation's start, when the first
// prompt gets focus and the milestones on the way there (window.__timeline): the
// WebSocket's open, the context, the begin the page sends, the first prompt
// event, React's first commit into #root, the prompt input's insertion. The
// socket is observed by wrapping the page's WebSocket, which it sees unchanged.
const RECORD_FIRST_PROMPT_FOCUS = `
  window.__timeline = {};
  const mark = (name) => { if (window.__timeline[name] === undefined) window.__timeline[name] = performance.now(); };
  document.addEventListener('focusin', (event) => {
    if (window.__firstPromptFocusMs === undefined && event.target.matches('${PROMPT_SELECTOR}')) {
      window.__firstPromptFocusMs = performance.now();
    }
  }, true);
  const PageSocket = window.WebSocket;
  window.WebSocket = class extends PageSocket {
    constructor(...args) {
      super(...args);
      mark('socket created');
      this.addEventListener('open', () => mark('socket open'));
      this.addEventListener('message', (message) => {
        try {
          const type = JSON.parse(message.data).type;
          if (type === 'context') mark('context received');
          if (type === 'prompt') mark('first prompt event received');
        } catch {}
      });
    }
    send(data) {
      try { if (JSON.parse(data).type === 'begin') mark('begin sent'); } catch {}
      return super.send(data);
    }
  };
  new MutationObserver(() => {
    const root = document.getElementById('root');
    if (root !== null && root.firstChild !== null) mark('React first commit');
    if (document.querySelector('${PROMPT_SELECTOR}') !== null) mark('prompt input in the page');
  }).observe(document, { childList: true, subtree: true });
`;

/** The milestones of one run, ms from navigation start (see RECORD_FIRST_PROMPT_FOCUS and timeline()). */
type Timeline = Record<string, number>;

/** Reads the page's milestones and its resource timings. */
async function timeline(page: Page): Promise<Timeline> {
  const recorded = (await page.evaluate(`(() => {
    const t = { ...window.__timeline };
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) {
      t['HTML received'] = nav.responseEnd;
      t['DOMContentLoaded'] = nav.domContentLoadedEventEnd;
    }
    for (const r of performance.getEntriesByType('resource')) {
      const file = r.name.split('/').pop().split('?')[0];
      const kind = file.endsWith('.css') ? 'CSS' : file.startsWith('mount') ? 'UI chunk (React)' : file.endsWith('.js') ? 'entry script' : file;
      t[kind + ' received'] = r.responseEnd;
    }
    for (const p of performance.getEntriesByType('paint')) t[p.name] = p.startTime;
    return t;
  })()`)) as Timeline;
  return recorded;
}

/** Milliseconds from navigation to a focused prompt; with `scripts`, also the gzipped size of each script loaded. */
async function timeToFocusedPrompt(page: Page, url: string, scripts?: Map<string, number>, milestones?: Timeline[]): Promise<number> {
  await page.addInitScript({ content: RECORD_FIRST_PROMPT_FOCUS });
  const bodies: Promise<void>[] = [];
  if (scripts !== undefined) {
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      bodies.push(response.body().then((body) => void scripts.set(response.url(), gzipSync(body).length)));
    });
  }
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(`${PROMPT_SELECTOR}:focus`, { timeout: 10_000 });
  const focusedAt = await page.waitForFunction('window.__firstPromptFocusMs');
  await Promise.all(bodies);
  const ms = Number(await focusedAt.jsonValue());
  if (milestones !== undefined) milestones.push({ ...(await timeline(page)), 'prompt focused': ms });
  return ms;
}

async function timeBlankPage(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load' });
  return Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
}



const bench: Bench = {
  title: 'UI: navigation → first prompt focused (headless Chromium, gatehouse serve, pam_matrix)',
  async run(): Promise<BenchLine[]> {
    const fixture = makeFixture();
    const blank = await startBlankServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const blankMs: number[] = [];
    const uiMs: number[] = [];
    const scripts = new Map<string, number>();
    const milestones: Timeline[] = [];
    try {
      for (let run = 0; run < WARMUP + RUNS; run += 1) {
        const blankTime = await inFreshContext(browser, (page) => timeBlankPage(page, blank.url));
        const serve = await startServe(fixture);
        let uiTime: number;
        try {
          uiTime = await inFreshContext(browser, (page) =>
            timeToFocusedPrompt(page, serve.url, run === 0 ? scripts : undefined, run >= WARMUP ? milestones : undefined),
          );
        } finally {
          await stopServe(serve);
        }
        if (run >= WARMUP) {
          blankMs.push(blankTime);
          uiMs.push(uiTime);
        }
      }
    } finally {
      await browser.close();
      blank.server.close();
    }
    if (scripts.size === 0) throw new Error('the page loaded no script: is dist/renderer built?');
    const jsKb = [...scripts.values()].reduce((sum, bytes) => sum + bytes, 0) / 1000;
    const baseline = { name: 'blank page load', value: median(blankMs) };
    // The timeline: each milestone's median over the runs, in the order they happen.
    const names = [...new Set(milestones.flatMap((m) => Object.keys(m)))];
    const timelineLines: BenchLine[] = names
      .map((name) => ({ name, at: median(milestones.filter((m) => m[name] !== undefined).map((m) => m[name]!)) }))
      .sort((a, b) => a.at - b.at)
      .map(({ name, at }) => ({ name: `  timeline (median): ${name}`, value: at, unit: 'ms' }));
    return [
      { name: `navigation → first prompt focused, median of ${RUNS}`, value: median(uiMs), unit: 'ms', baseline, target: { max: 300, of: 'value' } },
      { name: `navigation → first prompt focused, p90 of ${RUNS}`, value: percentile(uiMs, 90), unit: 'ms', baseline },
      ...timelineLines,
      { name: `JavaScript the page loads (${scripts.size} file(s)), gzipped`, value: jsKb, unit: 'kB', target: { max: 150, of: 'value' } },
    ];
  },
};

export default bench;
