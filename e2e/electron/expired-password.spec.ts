// bob's password has expired (demo stack): the forced change happens in the lock
// screen, and the unlock completes with the new password set.
import { answer, conversation, expect, requireElectron, test } from './support';

requireElectron();

test('an expired password is changed on the spot, then the screen unlocks', async ({ launch }) => {
  const { app, exited } = await launch(['--mode', 'unlock', '--user', 'bob']);
  const page = await conversation(app);
  await answer(page, 'Password:', 'bob-demo');
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await answer(page, 'Old password:', 'bob-demo');
  await answer(page, 'New password:', 'fresh-meadow-42');
  await answer(page, 'Retype new password:', 'fresh-meadow-42');
  expect(await exited).toBe(0);
});
