// Debian's Chromium, as the e2e suites and the UI bench launch it: never a
// downloaded browser, headless, and quiet on a machine without network (without
// the background-networking flags Chromium keeps trying to reach Google's services).
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
