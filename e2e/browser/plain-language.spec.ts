// PAM's jargon in plain words: outcome codes and well-known module texts get the
// catalog's sentences, each said once; the raw texts are one click away under
// Details (and the outcome's reason is in serve's audit log).
import { scriptStack } from '../../lab/stacks';
import { demoServe, demoStack, demoUser } from '../support/demo';
import { expect, test } from '../support/fixtures';
import { MATRIX_USER, matrixStack } from '../support/matrix-stack';
import { alertText, alerts, answer, details, prompt } from '../support/screen';

const SESSIONS = { sessions: [{ id: 'shell', name: 'Shell', argv: ['/bin/true'] }] };

test('greeter, Next with no name on a stack that never asks for one: a plain sentence, not "Bad item"', async ({ page, openScreen, keepScreenshot }) => {
  const serve = await openScreen({
    mode: 'login',
    service: matrixStack(),
    config: { login: SESSIONS, users: { source: 'list', users: [{ name: MATRIX_USER }] } },
  });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(alerts(page)).toContainText('No user name was given');
  expect(await alertText(page)).not.toContain('pam_');
  await expect(await details(page)).toContainText('PAM_BAD_ITEM: Bad item passed to pam_*_item()');
  await keepScreenshot('no-name');
  expect((await serve.waitForOutcomes(1))[0]?.code).toBe('PAM_BAD_ITEM');
  expect(serve.output()).toContain('"reason":"Bad item passed to pam_*_item()"');
});

test('the demo greeter, Next with no name: PAM asks who is there', async ({ page, openScreen }) => {
  await openScreen(demoServe(demoStack(), 'login'));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(prompt(page, 'login:')).toBeFocused();
  await expect(prompt(page, 'login:')).toHaveAttribute('type', 'text');
});

test('a wrong password is said once: the module\'s "Authentication failed" and the outcome are one sentence', async ({ page, openScreen, keepScreenshot }) => {
  await openScreen({ mode: 'unlock', service: matrixStack({ failDelayUs: 500_000 }), user: MATRIX_USER });
  await answer(page, 'Password:', 'wrong');
  await expect(alerts(page)).toContainText('Authentication failed');
  expect((await alertText(page)).match(/Authentication fail/g)).toHaveLength(1);
  const raw = await details(page);
  await expect(raw).toContainText('Authentication failed');
  await expect(raw).toContainText('PAM_AUTH_ERR: Authentication failure');
  await keepScreenshot('once');
});

test('demo: the expiry is said once, pam_debug\'s line only under Details', async ({ page, openScreen }) => {
  await openScreen(demoServe(demoStack(), 'unlock', 'bob'));
  await answer(page, 'Password:', demoUser('bob').password);
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await expect(prompt(page, 'Old password:')).toBeFocused();
  await expect(page.locator('main')).not.toContainText('acct=new_authtok_reqd', { useInnerText: true });
  await expect(await details(page)).toContainText('acct=new_authtok_reqd');
  expect(((await page.locator('main').innerText()).match(/expired/gi) ?? []).length).toBe(1);
});

test('pam_unix\'s expiry notice and pwquality\'s refusal in plain words (scripted module)', async ({ page, openScreen }) => {
  await openScreen({
    mode: 'unlock',
    user: 'alice',
    service: scriptStack({
      auth: 'msg echo-off "Password: "\nsend',
      account: 'msg error "You are required to change your password immediately (administrator enforced)."\nsend\nreturn new_authtok_reqd',
      chauthtok: 'msg echo-off "New password: "\nsend\nmsg error "BAD PASSWORD: it is based on a dictionary word"\nmsg echo-off "New password: "\nsend',
    }),
  });
  await answer(page, 'Password:', 'anything');
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  expect(((await page.locator('main').innerText()).match(/expired/gi) ?? []).length).toBe(1);
  await answer(page, 'New password:', 'password');
  await expect(alerts(page)).toContainText('Choose another password: it is based on a dictionary word.');
  expect(await alertText(page)).not.toContain('BAD PASSWORD');
});
