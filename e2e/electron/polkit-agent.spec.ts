// `gatehouse polkit-agent` in the Electron app: the agent stays up and opens an
// elevate window for each request, against the real polkitd, pkexec and the
// setuid helper in the lab's private system bus (lab/polkit.ts). The app runs in
// the lab's mount namespace (a wrapper around the binary enters it), as root,
// which polkitd allows to serve another user's process.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from '@playwright/test';
import { PKEXEC_DISMISSED, PolkitLab, polkitLabUnavailable } from '../../lab/polkit';
import { REPO_ROOT } from '../../lab/paths';
import { makeTempDir } from '../../lab/tmp';
import { PASSWORD, USERS } from '../../lab/users';
import { findElectronBinary } from '../../main/launch/relaunch';
import { UserShell } from '../../main/polkit/test/agent-harness';
import { RULES } from '../../main/polkit/test/pkexec-rules';
import { answer, conversation, expect, requireElectron, test } from './support';

requireElectron();
const unavailable = polkitLabUnavailable();
if (unavailable !== undefined) console.warn(`SKIP polkit-agent in Electron: ${unavailable}`);
test.skip(unavailable !== undefined, unavailable ?? '');

const USER = USERS.polkitE2e;

test('each request opens a window; the agent stays for the next one', async ({ xvfb }) => {
  const binary = findElectronBinary();
  if (!binary.found) throw new Error(binary.reason);
  const lab = await PolkitLab.start({ rules: RULES });
  const shell = new UserShell(lab, USER);
  // pkexec and the helper reach the bus only at its standard path, inside the lab's namespace.
  const wrapper = join(makeTempDir('gatehouse-electron-'), 'electron-in-lab');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${lab.command([binary.path]).map((word) => `'${word}'`).join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const app = await _electron.launch({
    executablePath: wrapper,
    args: ['--no-sandbox', '--disable-gpu', REPO_ROOT, 'polkit-agent', '--process', String(shell.pid)],
    env: { ...process.env, DISPLAY: xvfb.display } as Record<string, string>,
    timeout: 60_000,
  });
  let stderr = '';
  app.process().stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await expect.poll(() => stderr).toContain('"event":"polkit-registered"');

    shell.run('pkexec /usr/bin/true');
    const first = await conversation(app);
    await expect(first.getByText("Authentication is needed to run `/usr/bin/true' as the super user")).toBeVisible();
    await expect(first.getByText('org.freedesktop.policykit.exec')).toBeVisible();
    await answer(first, 'Password:', PASSWORD);
    expect((await shell.status()).status).toBe(0);

    shell.run('pkexec /usr/bin/true');
    const second = await conversation(app, first);
    await expect(second.getByLabel('Password:', { exact: true })).toBeFocused();
    await second.getByRole('button', { name: 'Cancel' }).click();
    expect((await shell.status()).status).toBe(PKEXEC_DISMISSED);
    expect(app.process().exitCode).toBeNull();
  } finally {
    app.process().kill('SIGTERM');
    shell.stop();
    await lab.stop();
    expect(stderr).not.toContain(PASSWORD);
  }
});
