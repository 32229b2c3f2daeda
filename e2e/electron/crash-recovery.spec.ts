// A crashed renderer: the window is recreated with the screen still covered and the
// conversation restarts; after too many crashes the emergency screen stays up, and
// nothing but a signal ends the app (never an unlock).
import { answer, conversation, crashConversation, expect, requireElectron, test, windowState, type PageGlobals } from './support';

requireElectron();

test('a crashed conversation window comes back and still unlocks', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'unlock', '--user', 'alice']);
  const first = await conversation(app);
  const before = (await windowState(app)).windows.length;

  await crashConversation(app);
  const second = await conversation(app, first);
  // Every display stayed covered: never fewer windows than displays.
  expect((await windowState(app)).windows.length).toBeGreaterThanOrEqual(before);
  await answer(second, 'Password:', 'alice-demo');
  expect(await exited).toBe(0);
});

test('after too many crashes the emergency screen stays and cannot unlock', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'unlock', '--user', 'alice']);
  let page = await conversation(app);
  // The default policy restarts 3 times a minute; the 4th crash gives up.
  for (let crash = 1; crash <= 3; crash++) {
    await crashConversation(app);
    page = await conversation(app, page);
  }
  await crashConversation(app);
  await expect
    .poll(async () => (await windowState(app)).windows.every((w) => w.url === 'app://shell/emergency.html'))
    .toBe(true);
  const emergency = app.windows().find((p) => p.url() === 'app://shell/emergency.html')!;
  await expect(emergency.getByRole('alert')).toContainText('Nothing is unlocked');
  expect(await emergency.evaluate(() => typeof (globalThis as unknown as PageGlobals).gatehouse)).toBe('undefined');

  // Closing the windows is refused; the app keeps running.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((w) => w.close()));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(app.process().exitCode).toBeNull();
  expect((await windowState(app)).windows.length).toBeGreaterThan(0);

  app.process().kill('SIGTERM');
  expect(await exited).toBe(143);
});
