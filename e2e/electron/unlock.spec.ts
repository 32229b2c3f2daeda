// Unlock on the demo stack in the real Electron shell: one window per display,
// full screen and on top; a wrong password keeps the screen locked; the right one
// ends the app with status 0.
import { answer, conversation, expect, requireElectron, test, windowState } from './support';

requireElectron();

test('the right password unlocks and ends the app with status 0', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'unlock', '--user', 'alice']);
  const page = await conversation(app);

  const state = await windowState(app);
  expect(state.windows).toHaveLength(state.displays.length);
  for (const window of state.windows) expect(window).toMatchObject({ fullScreen: true, alwaysOnTop: true });

  await answer(page, 'Password:', 'not-alices-password');
  await expect(page.getByRole('alert')).toContainText('Authentication failed');
  expect(app.process().exitCode).toBeNull();

  await answer(page, 'Password:', 'alice-demo');
  expect(await exited).toBe(0);
});

test('a termination signal ends the locked app cleanly with 128 + 15', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'unlock', '--user', 'alice']);
  await conversation(app);
  app.process().kill('SIGTERM');
  expect(await exited).toBe(143);
});
