// How soon `egm ground --model` exits after printing its result: the model
// host is told to shut down and exits by itself, instead of being killed after
// the client's 5 s grace (issue 8, finding 12). The test checks that it is told
// and exits by itself (cli-ground.test.ts); this prints how long it takes:
//   host_shutdown_ms   median gap between the result on stdout and egm's exit (5 runs, tiny model, CPU)
// Run: npx tsx bench/host-shutdown.bench.ts (after npm run build)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, tinyModelDir } from '../test/helpers/tiny-model';

const RUNS = 5;
const EGM = resolve(REPO_ROOT, 'dist/cli/egm.mjs');
const IMAGE = resolve(REPO_ROOT, 'assets/samples/messi5.jpg');

/** One `egm ground` run: the ms between its stdout line and its exit. */
function exitAfterPrint(model: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [EGM, 'ground', IMAGE, '--phrase', 'the man', '--model', model, '--device', 'cpu'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let printedAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!printedAt && stdout.includes('\n')) printedAt = performance.now();
    });
    child.on('exit', (code) => (code === 0 && printedAt ? done(performance.now() - printedAt) : fail(new Error(`egm ground exited with ${code}`))));
  });
}

if (!existsSync(EGM)) throw new Error(`${EGM} is missing: run npm run build`);
const model = await tinyModelDir();
const gaps: number[] = [];
for (let i = 0; i < RUNS; i++) gaps.push(await exitAfterPrint(model));
gaps.sort((a, b) => a - b);
console.log(`bench host_shutdown_ms=${gaps[Math.floor(RUNS / 2)]!.toFixed(0)} ms`);
