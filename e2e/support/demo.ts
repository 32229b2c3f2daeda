// The demo stack behind `npm start` (demo/), for the specs: a fresh one per test
// (its passwords change), in the run's temp root.
import { createDemoStack, DEMO_USERS, type DemoStack, type DemoUser } from '../../demo/demo-stack.cjs';
import type { Mode } from '../../main/protocol/messages';
import { makeTempDir } from '../../lab/tmp';
import type { ServeSetup } from './serve';

export function demoStack(): DemoStack {
  return createDemoStack({ baseDir: makeTempDir('gatehouse-e2e-demo-') });
}

/** serve on `stack` in `mode`; unlock and elevate as `user` (default alice). */
export function demoServe(stack: DemoStack, mode: Mode, user = 'alice'): ServeSetup {
  return { mode, configFile: stack.configPath, env: stack.env, ...(mode === 'login' ? {} : { user }) };
}

export function demoUser(name: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.name === name);
  if (user === undefined) throw new Error(`no demo user ${name}`);
  return user;
}
