// `npm run bench`: runs every bench/*.bench.ts in its own process, one after
// another (they measure time, so never in parallel), and passes their output
// through. Each figure is a line `bench <name>=<number> <unit>`; a summary of
// all figures is printed again at the end so a script can read them in one place.
// Usage: npm run bench [-- <substring>]   e.g. npm run bench -- store
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

const filter = process.argv[2] ?? '';
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
if (!existsSync('dist/renderer/index.html')) {
  console.error('bench: building first (dist/ is missing)');
  const built = spawnSync('node', ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const figures = [];
let failed = 0;
for (const file of files) {
  console.error(`bench: running bench/${file}`);
  const run = spawnSync('npx', ['tsx', `bench/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout ?? '');
  figures.push(...(run.stdout ?? '').split('\n').filter((line) => line.startsWith('bench ')));
  if (run.status !== 0) {
    failed += 1;
    console.error(`bench: bench/${file} exited with ${run.status}`);
  }
}
console.log('\nsummary:');
for (const line of figures) console.log(line);
process.exitCode = failed ? 1 : 0;
