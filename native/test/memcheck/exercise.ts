// Exercises every path of the addon that copies, wipes or frees memory, for
// scripts/memcheck.sh to run under valgrind: answers accepted and refused, NUL
// bytes, oversized and binary answers, timeouts, abort, unknown styles, resp ==
// NULL, items, the environment, concurrent transactions, garbage-collected ones,
// and transactions still open at exit.
//
// Run as plain CommonJS (transpiled by scripts/memcheck.sh): GH_INDEX is the
// addon's typed face, GH_SCRIPT_MODULE the scripted test module, GH_MATRIX pam_matrix.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Pam from '../../index';

const { PamTransaction } = require(process.env.GH_INDEX!) as typeof Pam;
const SCRIPT = process.env.GH_SCRIPT_MODULE!;
const MATRIX = process.env.GH_MATRIX!;

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-memcheck-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

writeFileSync(join(dir, 'passdb'), 'alice:secret:matrix\n');
let scripts = 0;
function service(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}
function scripted(script: string): string {
  const file = join(dir, `script-${++scripts}`);
  writeFileSync(file, script);
  const name = `s${scripts}`;
  service(name, ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${SCRIPT} script=${file}\n`).join(''));
  return name;
}
service('matrix', ['auth', 'account', 'password', 'session'].map((t) => `${t} required ${MATRIX} passdb=${join(dir, 'passdb')} verbose\n`).join(''));
service('other', 'auth required pam_deny.so\n');

const answerAll = (value: Pam.Answer) => (m: Pam.PamMessage[]) => m.map((x) => (x.style === 'info' || x.style === 'error' ? null : value));

async function run(serviceName: string, conversation: Pam.Conversation, body: (tx: Pam.PamTransaction) => Promise<unknown>, timeout?: number) {
  const tx = await PamTransaction.start({ service: serviceName, user: 'alice', confDir: dir, conversation, ...(timeout ? { conversationTimeoutMs: timeout } : {}) });
  await body(tx).catch(() => {});
  await tx.end();
}

async function main(): Promise<void> {
  // The whole life cycle, items and environment.
  await run('matrix', answerAll('secret'), async (tx) => {
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.setcred('establish');
    await tx.openSession();
    await tx.setItem('tty', '/dev/tty7');
    await tx.getItem('tty');
    await tx.setXauthData('MIT-MAGIC-COOKIE-1', new Uint8Array(16).fill(1));
    await tx.putenv('A=b');
    await tx.getenv('A');
    await tx.getenvlist();
    await tx.closeSession();
    await tx.setcred('delete');
  });
  // Refused answers.
  for (const bad of ['sec\0ret', 'x'.repeat(600), 42, new Uint16Array(2), new Uint8Array([0x61, 0])]) {
    await run('matrix', answerAll(bad as Pam.Answer), (tx) => tx.authenticate());
  }
  await run('matrix', () => [], (tx) => tx.authenticate());
  await run('matrix', () => Promise.reject(new Error('no')), (tx) => tx.authenticate());
  // Timeout and abort while the conversation waits.
  await run('matrix', () => new Promise(() => {}), (tx) => tx.authenticate(), 50);
  await run('matrix', () => new Promise(() => {}), async (tx) => {
    const call = tx.authenticate();
    await new Promise((r) => setTimeout(r, 20));
    tx.abort();
    await call;
  });
  // What only the scripted module sends.
  const oddities = scripted(
    '[auth]\nmsgs 32 info "m"\nsend\nmsgs 33 info "m"\nsend\nmsg style=42 "?"\nsend\n' +
      'msg info "\\xff\\xfe bad utf-8"\nmsg-long error 70000 A\nmsg radio "yes?"\nmsg echo-on "name"\nsend\n' +
      'msg-binary 0000000801020304\nsend\nmsg echo-off "pw"\nsend-null-resp\nmsg info "i"\nsend-null-resp\n' +
      'export-answers GH\nrecord-cleanup ' + join(dir, 'cleanup') + '\n',
  );
  await run(oddities, (m) => m.map((x) => (x.style === 'binary' ? new Uint8Array([0, 0, 0, 6, 1, 9]) : x.style === 'info' || x.style === 'error' ? null : 'answer')), async (tx) => {
    await tx.authenticate();
    await tx.getenvlist();
  });
  // Many transactions at once.
  const slow = scripted('[auth]\nmsg echo-off "Password: "\nsend\nsleep 50\n');
  await Promise.all(Array.from({ length: 8 }, () => run(slow, answerAll('pw'), (tx) => tx.authenticate())));
  // Garbage-collected without end().
  for (let i = 0; i < 5; i++) {
    const tx = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir: dir, conversation: answerAll('secret') });
    await tx.authenticate();
  }
  for (let i = 0; i < 5; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  // Open at exit: one waiting in a conversation, one idle.
  const waiting = await PamTransaction.start({ service: 'matrix', user: 'alice', confDir: dir, conversation: () => new Promise(() => {}) });
  waiting.authenticate().catch(() => {});
  await PamTransaction.start({ service: 'matrix', user: 'alice', confDir: dir, conversation: answerAll('secret') });
  await new Promise((r) => setTimeout(r, 50));
  console.log('memcheck exercise done');
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
