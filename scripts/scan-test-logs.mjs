#!/usr/bin/env node
// scan-test-logs.mjs DIR: the end of `npm test`. DIR holds every log line of
// every suite (lab/test-logs.ts: the output of each process the suites started,
// and each test runner's own output) and secrets.jsonl, the passwords the suites
// used. Fails (exit 1) if any line of any log contains any of them, naming the
// file and line, never the secret itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: scan-test-logs.mjs DIR');
  process.exit(2);
}

let secrets = [];
try {
  secrets = [...new Set(readFileSync(join(dir, 'secrets.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)))];
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
const logs = readdirSync(dir).filter((name) => name.endsWith('.log'));
let lines = 0;
const hits = [];
for (const name of logs) {
  const text = readFileSync(join(dir, name), 'utf8');
  const fileLines = text.split('\n');
  lines += fileLines.length;
  fileLines.forEach((line, i) => {
    secrets.forEach((secret, s) => {
      if (line.includes(secret)) hits.push(`${name}:${i + 1}: test secret #${s + 1} (${secret.length} characters)`);
    });
  });
}
console.log(`scan-test-logs: ${lines} lines in ${logs.length} logs, ${secrets.length} test secrets`);
if (secrets.length === 0 || logs.length === 0) {
  console.error('scan-test-logs: nothing was collected: the suites did not record their logs or secrets');
  process.exit(1);
}
if (hits.length > 0) {
  console.error(`scan-test-logs: a test secret appears in ${hits.length} log line(s):\n${hits.join('\n')}`);
  process.exit(1);
}
console.log('scan-test-logs: no test secret in any log line');
