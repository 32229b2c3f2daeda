// elevate and askpass in the real Electron shell: the exit status is the answer to
// "was it you?", and askpass hands the typed answer to its caller on stdout.
import { answer, conversation, expect, requireElectron, test } from './support';

requireElectron();

test('elevate: the right password confirms (status 0)', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'elevate', '--user', 'alice', '--action', 'Change the demo settings']);
  const page = await conversation(app);
  await expect(page.getByText('Change the demo settings')).toBeVisible();
  await answer(page, 'Password:', 'alice-demo');
  expect(await exited).toBe(0);
});

test('elevate: cancelling is a "no" (status 1)', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'elevate', '--user', 'alice']);
  const page = await conversation(app);
  await expect(page.getByLabel('Password:', { exact: true })).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await exited).toBe(1);
});

test('askpass: the answer goes to stdout, and only there', async ({ launch }) => {
  const { app, exited } = await launch(['askpass', '[sudo] password for alice: ']);
  let stdout = '';
  app.process().stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const page = await conversation(app);
  await answer(page, '[sudo] password for alice:', 'typed-for-sudo');
  expect(await exited).toBe(0);
  expect(stdout).toBe('typed-for-sudo\n');
});
