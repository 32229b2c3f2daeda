// The peers: the other Node bindings of libpam on the npm registry, measured in the
// same run as gatehouse/pam when they can be had. They live in bench/peers (a
// package of their own, with its own lock file), never among the project's
// dependencies: they are native addons whose install scripts download or compile,
// and nothing of the product uses them.
//
// On first use this installs them with npm (install scripts off) and compiles
// each with the project's node-gyp against this Node's headers. A peer that cannot
// be installed or built is left out, and the bench says why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PEERS_DIR = join(__dirname, '..', '..', 'bench', 'peers');
const NODE_GYP = join(__dirname, '..', '..', 'node_modules', '.bin', 'node-gyp');

export const PEERS = ['authenticate-pam', 'node-linux-pam'] as const;
export type Peer = (typeof PEERS)[number];

/** The file each peer's require() loads once it is built. */
const BUILT: Record<Peer, string> = {
  'authenticate-pam': join('build', 'Release', 'authenticate_pam.node'),
  'node-linux-pam': join('build', 'Release', 'node-linux-pam.node'),
};

export interface PeerStatus {
  ready: Peer[];
  missing: { peer: Peer; reason: string }[];
}

function lastLines(error: unknown): string {
  const e = error as { stderr?: Buffer | string; message?: string };
  const text = (e.stderr?.toString() || e.message || String(error)).trim().split('\n');
  return text.slice(-3).join(' / ');
}

export function preparePeers(): PeerStatus {
  const status: PeerStatus = { ready: [], missing: [] };
  if (!existsSync(join(PEERS_DIR, 'node_modules'))) {
    try {
      execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: PEERS_DIR, stdio: 'pipe', timeout: 300_000 });
    } catch (error) {
      for (const peer of PEERS) status.missing.push({ peer, reason: `npm ci in bench/peers failed: ${lastLines(error)}` });
      return status;
    }
  }
  // Debian's nodejs ships its headers in /usr/include/node: no header download.
  const prefix = dirname(dirname(process.execPath));
  const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
  for (const peer of PEERS) {
    const dir = join(PEERS_DIR, 'node_modules', peer);
    if (!existsSync(join(dir, BUILT[peer]))) {
      try {
        execFileSync(NODE_GYP, ['rebuild', ...nodedir], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
      } catch (error) {
        status.missing.push({ peer, reason: `node-gyp rebuild failed: ${lastLines(error)}` });
        continue;
      }
    }
    status.ready.push(peer);
  }
  return status;
}
