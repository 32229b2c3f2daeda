// npm start's demo, as a newcomer meets it: one command prints three addresses
// (greeter, lock screen, privilege prompt) on one demo stack; the greeter lists
// every demo user; signing in runs the demo session and comes back.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_USERS } from '../../demo/demo-stack.cjs';
import { REPO_ROOT } from '../../lab/paths';
import { expect, test } from '../support/fixtures';
import { answer } from '../support/screen';

interface Demo {
  urls: Record<'greeter' | 'lock' | 'prompt', string>;
  output: () => string;
  stop(): Promise<void>;
}

/** `npm start -- --serve`, as a person runs it; resolves once it has printed its three addresses. */
async function startDemo(): Promise<Demo> {
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), '--serve'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const lines: string[] = [];
  const urls = await new Promise<Demo['urls']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no addresses within 60 s:\n${output}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      lines.push(line);
      const after = (what: string) => lines[lines.findIndex((l) => l.trim().startsWith(what)) + 1]?.trim();
      const greeter = after('Greeter:');
      const lock = after('Lock screen');
      const prompt = after('Privilege prompt');
      if (greeter?.startsWith('http') && lock?.startsWith('http') && prompt?.startsWith('http')) {
        clearTimeout(timer);
        resolve({ greeter, lock, prompt });
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  return {
    urls,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}

test.describe.configure({ timeout: 120_000 });

test('npm start: the greeter with every demo user, a demo session, the lock screen and the prompt', async ({ page, context, keepScreenshot }) => {
  const demo = await startDemo();
  try {
    expect(demo.output()).toContain('Open these addresses in a browser');
    for (const user of DEMO_USERS) expect(demo.output()).toMatch(new RegExp(`\\n +${user.name} +password ${user.password} `));

    await page.goto(demo.urls.greeter);
    for (const user of DEMO_USERS) await expect(page.getByRole('button', { name: new RegExp(user.displayName) })).toBeVisible();
    await keepScreenshot('greeter');
    await page.getByRole('button', { name: /Alice Liddell/ }).click();
    await answer(page, 'Password:', 'alice-demo');
    await expect(page.getByRole('heading', { name: 'Session running' })).toBeVisible();
    // The demo session ends after a few seconds; the greeter comes back.
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
    expect(demo.output()).toMatch(/Demo session for alice \(uid \d+, LANG=/);

    const lock = await context.newPage();
    await lock.goto(demo.urls.lock);
    await expect(lock.getByRole('heading', { level: 1, name: 'Alice Liddell' })).toBeVisible();
    await answer(lock, 'Password:', 'alice-demo');
    await expect(lock.getByRole('heading', { name: 'Unlocked' })).toBeVisible();

    const prompt = await context.newPage();
    await prompt.goto(demo.urls.prompt);
    await expect(prompt.getByText('Change the demo settings')).toBeVisible();
    await answer(prompt, 'Password:', 'alice-demo');
    await expect(prompt.getByRole('heading', { name: 'Approved' })).toBeVisible();
  } finally {
    await demo.stop();
  }
});
