// Display hotplug on Xvfb: a RandR monitor added to the screen gets a cover window
// at once, and its window goes when the monitor goes; the conversation stays.
// Whether Chromium sees RandR monitors come and go on Xvfb depends on the versions
// of both; where it does not, the test says so and skips.
import { spawnSync } from 'node:child_process';
import { answer, conversation, expect, requireElectron, test, windowState } from './support';

requireElectron();

function xrandr(display: string, args: string[]): void {
  const result = spawnSync('xrandr', ['--display', display, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`xrandr ${args.join(' ')}: ${result.stderr}`);
}

test('a monitor plugged in gets a cover; unplugged, its window goes', async ({ launch }) => {
  test.skip(spawnSync('xrandr', ['--version'], { stdio: 'ignore' }).status !== 0, 'xrandr is not installed (apt package x11-xserver-utils)');
  const { app, display, exited } = await launch(['--mode', 'unlock', '--user', 'alice']);
  await conversation(app);
  const before = await windowState(app);

  // Split the 2560-pixel screen into two monitors.
  xrandr(display, ['--setmonitor', 'gatehouse-left', '1280/338x900/238+0+0', 'screen']);
  xrandr(display, ['--setmonitor', 'gatehouse-right', '1280/338x900/238+1280+0', 'none']);
  try {
    const seen = await expect
      .poll(async () => (await windowState(app)).displays.length, { timeout: 5_000 })
      .toBeGreaterThan(before.displays.length)
      .then(
        () => true,
        () => false,
      );
    test.skip(!seen, 'Chromium did not report the RandR monitors added to Xvfb as displays');

    await expect.poll(async () => (await windowState(app)).windows.length).toBe((await windowState(app)).displays.length);
    const covers = (await windowState(app)).windows.filter((w) => w.url === 'app://shell/cover.html');
    expect(covers.length).toBeGreaterThan(0);

    xrandr(display, ['--delmonitor', 'gatehouse-right']);
    await expect.poll(async () => (await windowState(app)).windows.length).toBe(before.windows.length);
  } finally {
    spawnSync('xrandr', ['--display', display, '--delmonitor', 'gatehouse-right'], { stdio: 'ignore' });
    spawnSync('xrandr', ['--display', display, '--delmonitor', 'gatehouse-left'], { stdio: 'ignore' });
  }
  await answer(await conversation(app), 'Password:', 'alice-demo');
  expect(await exited).toBe(0);
});
