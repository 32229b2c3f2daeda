// The polkit agent's UI in Debian's Chromium, through `gatehouse polkit-agent
// --serve` (gatehouse serve's host), against the real polkitd, pkexec and the
// setuid polkit-agent-helper-1 in the lab's private system bus (lab/polkit.ts).
// One page serves the requests in turn: each starts the screen over.
import { PolkitLab, PKEXEC_DISMISSED, polkitLabUnavailable } from '../../lab/polkit';
import { NEW_PASSWORD, PASSWORD, USERS } from '../../lab/users';
import { startAgent, UserShell } from '../../main/polkit/test/agent-harness';
import { RULES } from '../../main/polkit/test/pkexec-rules';
import { seriousViolations } from '../support/axe';
import { expect, test } from '../support/fixtures';
import { alerts, answer, prompt } from '../support/screen';

const USER = USERS.polkitE2e;

test.describe('the polkit agent in a browser', () => {
  const unavailable = polkitLabUnavailable();
  if (unavailable !== undefined) console.warn(`SKIP the polkit agent in a browser: ${unavailable}`);
  test.skip(unavailable !== undefined, unavailable ?? '');

  test("shows the action's message and completes an authentication; the next requests start over", async ({ page, keepScreenshot }, testInfo) => {
    const lab = await PolkitLab.start({ rules: RULES });
    const shell = new UserShell(lab, USER);
    const agent = startAgent(lab, USER, ['--process', String(shell.pid), '--serve']);
    try {
      expect((await agent.nextEvent((e) => e.event === 'registered')).subject).toMatch(new RegExp(`^unix-process:${shell.pid}:\\d+:${USER.uid}$`));
      const listening = await agent.nextEvent((e) => e.event === 'listening');
      await page.goto(String(listening.url));

      // 1. pkexec: a wrong password, then the right one.
      shell.run('pkexec /usr/bin/true');
      await expect(page.getByRole('heading', { level: 1, name: 'Authentication required' })).toBeVisible();
      await expect(page.getByText('pkexec wants to:')).toBeVisible();
      await expect(page.getByText("Authentication is needed to run `/usr/bin/true' as the super user")).toBeVisible();
      const details = page.getByRole('definition');
      await expect(details.filter({ hasText: 'org.freedesktop.policykit.exec' })).toBeVisible();
      await expect(details.filter({ hasText: /^pkexec \(pid \d+\)$/ })).toBeVisible();
      await expect(page.getByText(`Confirm as ${USER.name}`)).toBeVisible();
      await keepScreenshot('request');
      expect(await seriousViolations(page)).toEqual([]);
      await answer(page, 'Password:', 'not the password');
      await expect(alerts(page).filter({ hasText: 'Authentication failed' })).toBeVisible();
      await answer(page, 'Password:', PASSWORD);
      await expect(page.getByRole('heading', { name: 'Approved' })).toBeFocused();
      expect(await shell.status()).toMatchObject({ status: 0 });

      // 2. The next request on the same page: declined.
      shell.run('pkexec /usr/bin/true');
      await expect(prompt(page, 'Password:')).toBeFocused();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('heading', { name: 'Request cancelled' })).toBeVisible();
      expect((await shell.status()).status).toBe(PKEXEC_DISMISSED);

      // 3. auth_admin: two administrators to choose from.
      shell.run('pkexec /usr/bin/id -u');
      await expect(page.getByRole('group', { name: 'Who confirms?' })).toBeVisible();
      await keepScreenshot('choose-administrator');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: new RegExp(USERS.polkitAdminB.name) }).click();
      await answer(page, 'Password:', NEW_PASSWORD);
      await expect(page.getByRole('heading', { name: 'Approved' })).toBeVisible();
      expect(await shell.status()).toEqual({ status: 0, stdout: '0\n' });
    } finally {
      agent.child.kill('SIGTERM');
      const ended = await agent.exited();
      shell.stop();
      await lab.stop();
      const everything = `${ended.stdout}\n${ended.stderr}\n${shell.output}\n${lab.output}`;
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('agent.log', { body: everything, contentType: 'text/plain' });
      for (const secret of [PASSWORD, NEW_PASSWORD, 'not the password']) expect(everything).not.toContain(secret);
    }
  });
});
