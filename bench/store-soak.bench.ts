// Kill soak figures (the test asserts no edit is lost, and no time: issue 16):
//   soak_kills            SIGKILLs of an editing child (EGM_SOAK_KILLS, default 200)
//   soak_lost             acknowledged edits missing or torn after them (must be 0)
//   soak_seconds          how long the 200 kills, each with a check of the file, took
//   soak_round_ms         one round on average: child start, edits, kill, integrity check, reopen
// Run: npx tsx bench/store-soak.bench.ts
import { bundleCrashChild, runKillSoak, soakProject } from '../test/helpers/kill-soak';
import { tempDir } from '../test/helpers/store-temp';

const KILLS = Number(process.env.EGM_SOAK_KILLS ?? 200);
const tmp = tempDir('egm-bench-soak-');
try {
  await bundleCrashChild();
  const result = await runKillSoak(soakProject(tmp.dir), KILLS);
  if (result.problems.length > 0) console.error(`soak: ${result.problems.slice(0, 3).join('; ')}`);
  console.log(`bench soak_kills=${result.kills} count`);
  console.log(`bench soak_lost=${result.lost} count`);
  console.log(`bench soak_seconds=${result.seconds.toFixed(1)} s`);
  console.log(`bench soak_round_ms=${((result.seconds * 1000) / result.kills).toFixed(0)} ms`);
  if (result.lost > 0) process.exitCode = 1;
} finally {
  tmp.cleanup();
}
