// The end-of-run scan (scripts/scan-test-logs.mjs) on logs made up for it: it
// fails on a log line holding a recorded secret, names the place but never the
// secret, and refuses to pass when nothing was collected.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths';
import { makeTempDir } from './tmp';

const SCAN = join(REPO_ROOT, 'scripts', 'scan-test-logs.mjs');

function scan(files: Record<string, string>) {
  const dir = makeTempDir('gatehouse-scan-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const result = spawnSync(process.execPath, [SCAN, dir], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('scan-test-logs', () => {
  const secrets = `${JSON.stringify('Scan-Secret-7')}\n${JSON.stringify('Other-Secret-8')}\n`;

  it('passes when no log line holds a secret', () => {
    const result = scan({ 'secrets.jsonl': secrets, 'a.log': 'one\ntwo\n', 'b.log': '{"event":"attempt"}\n' });
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/no test secret in any log line/);
  });

  it('fails on a line that holds one, naming the file and line but not the secret', () => {
    const result = scan({ 'secrets.jsonl': secrets, 'a.log': 'fine\n{"problem":"x Other-Secret-8 y"}\n' });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/a\.log:2: test secret #2 \(14 characters\)/);
    expect(result.output).not.toContain('Other-Secret-8');
  });

  it('fails when nothing was collected', () => {
    expect(scan({ 'a.log': 'x\n' }).status).toBe(1);
    expect(scan({ 'secrets.jsonl': secrets }).status).toBe(1);
  });
});
