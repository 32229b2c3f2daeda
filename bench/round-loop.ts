// One implementation of the bench's PAM round (start → authenticate with one
// password prompt → acct_mgmt → end), run ROUNDS times in a process of its own,
// after WARMUP rounds that are not counted. Prints the wall time and the CPU time
// (process.cpuUsage: user + system, every thread of the process) per round in
// nanoseconds, like bench/c/pam_loop.c, so the two are read alike.
//
//   node dist/bench/round-loop.js IMPLEMENTATION CONFDIR SERVICE USER PASSWORD ROUNDS WARMUP
//
// IMPLEMENTATION is `addon` (gatehouse/pam, pam_start_confdir on CONFDIR) or one of
// the peers in bench/peers (`authenticate-pam`, `node-linux-pam`), which call
// pam_start and so read their service from pam_wrapper's directory (the caller
// sets LD_PRELOAD; CONFDIR is then unused).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PamTransaction, type Conversation } from '../native/index';

type Round = () => Promise<void>;

const [implementation, confDir, service, user, password, roundsArg, warmupArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const warmup = Number(warmupArg ?? '0');
if (implementation === undefined || password === undefined || !(rounds > 0) || !(warmup >= 0)) {
  console.error('usage: round-loop IMPLEMENTATION CONFDIR SERVICE USER PASSWORD ROUNDS WARMUP');
  process.exit(2);
}

/** The peers are installed in bench/peers (see bench/peers.ts), never in the project's own dependencies. */
const peerRequire = createRequire(join(__dirname, '..', '..', 'bench', 'peers', 'package.json'));

function addonRound(): Round {
  const conversation: Conversation = (messages) =>
    messages.map((m) => (m.style === 'echo-off' || m.style === 'echo-on' ? password! : null));
  return async () => {
    const tx = await PamTransaction.start({ service: service!, user: user!, confDir: confDir!, conversation });
    await tx.authenticate();
    await tx.acctMgmt();
    await tx.end();
  };
}

// authenticate-pam: pam_start → pam_authenticate → pam_end on libuv's pool (it has no acct_mgmt).
function authenticatePamRound(): Round {
  const pam = peerRequire('authenticate-pam') as {
    authenticate(user: string, password: string, done: (error: unknown) => void, options: { serviceName: string }): void;
  };
  return () =>
    new Promise<void>((resolve, reject) =>
      pam.authenticate(user!, password!, (error) => (error ? reject(new Error(String(error))) : resolve()), { serviceName: service! }),
    );
}

// node-linux-pam: pam_start → pam_authenticate → pam_acct_mgmt → pam_end on libuv's pool.
function nodeLinuxPamRound(): Round {
  const pam = peerRequire('node-linux-pam') as {
    pamAuthenticatePromise(options: { username: string; password: string; serviceName: string }): Promise<unknown>;
  };
  return async () => {
    await pam.pamAuthenticatePromise({ username: user!, password: password!, serviceName: service! });
  };
}

const makers: Record<string, () => Round> = {
  addon: addonRound,
  'authenticate-pam': authenticatePamRound,
  'node-linux-pam': nodeLinuxPamRound,
};

async function main(): Promise<void> {
  const make = makers[implementation!];
  if (make === undefined) throw new Error(`unknown implementation '${implementation}' (one of ${Object.keys(makers).join(', ')})`);
  const round = make();
  for (let i = 0; i < warmup; i++) await round();
  const cpuStarted = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await round();
  const wallNs = Number(process.hrtime.bigint() - started) / rounds;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuNs = ((cpu.user + cpu.system) * 1000) / rounds;
  console.log(`${Math.round(wallNs)} ${Math.round(cpuNs)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
