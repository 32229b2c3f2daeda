// Builds the UI into dist/renderer, which `gatehouse serve` and the Electron
// windows load. Run from the repository root: `vite build --config renderer/vite.config.ts`.
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// The React chunk (src/mount.tsx) is imported by the entry script only once that
// has run, which is after the whole page was parsed. A modulepreload link lets the
// browser fetch and compile it from the start, beside the entry script, instead
// of one after the other: the largest step on the way to the first prompt.
function preloadReactChunk(): Plugin {
  return {
    name: 'gatehouse-preload-react-chunk',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.facadeModuleId?.endsWith('/src/mount.tsx') === true,
        );
        if (chunk === undefined) return [];
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the page is served from a token URL by serve and from
  // the packaged app's files by Electron.
  base: './',
  plugins: [preloadReactChunk()],
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
