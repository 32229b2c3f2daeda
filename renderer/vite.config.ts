// Builds the UI into dist/renderer, which `gatehouse serve` and the Electron
// windows load. Run from the repository root: `vite build --config renderer/vite.config.ts`.
import { join } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the page is served from a token URL by serve and from
  // the packaged app's files by Electron.
  base: './',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: join(import.meta.dirname, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The React chunk (src/mount.tsx) has no chunks of its own to preload, so
    // Vite's preload helper would only add weight to the first script.
    modulePreload: false,
    // Everything is a file of its own: the CSP allows no inline content besides data: images.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
