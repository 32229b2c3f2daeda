// `npm run bench`: every benchmark of the project, each reported as figures and as
// ratios against a baseline measured in the same run. Run from the built tree
// (dist/bench/run.js). `npm run bench -- NAME...` runs only the named ones.
import type { Bench } from './report';
import { formatLine } from './report';

// Loaded lazily, so that running one bench loads only its own code. require, not
// import(): this is CommonJS output, and Node 20's import() of it would wrap the
// default export once more.
const benches: Record<string, () => Promise<Bench>> = {
  addon: async () => (require('./addon') as typeof import('./addon')).default,
  lag: async () => (require('./lag') as typeof import('./lag')).default,
  engine: async () => (require('./engine') as typeof import('./engine')).default,
  ui: async () => (require('./ui') as typeof import('./ui')).default,
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, load] of Object.entries(benches)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const bench = await load();
    console.log(`\n${bench.title}`);
    for (const line of await bench.run()) console.log(formatLine(line));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
