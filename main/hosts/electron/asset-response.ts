// The answer to one app:// request, from the files on disk: the resolved file with
// the security headers, or a bare refusal. Electron-free (protocol-handler.ts
// turns it into a Response), so it is tested on real directories.
//
// Synchronous fs on purpose: Electron's asar support covers these calls for
// certain, and the files are few and small.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { containedIn, resolveAsset } from './asset-resolver';
import { CONTENT_SECURITY_POLICY, responseHeaders } from './content-security-policy';

export interface AssetResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for refusals and HEAD requests. */
  body?: Uint8Array;
}

export function assetResponse(url: string, method: string, roots: Readonly<Record<string, string>>): AssetResponse {
  const resolved = resolveAsset(url, roots, method);
  if (!resolved.ok) return refusal(resolved.status);
  let body: Buffer;
  try {
    // A symbolic link must not lead out of the served directory.
    const file = realpathSync(resolved.file);
    if (!containedIn(file, realpathSync(resolved.root)) || !statSync(file).isFile()) return refusal(404);
    body = readFileSync(file);
  } catch {
    return refusal(404);
  }
  return {
    status: 200,
    headers: responseHeaders(resolved.contentType),
    ...(method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
  };
}

function refusal(status: number): AssetResponse {
  return {
    status,
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
  };
}
