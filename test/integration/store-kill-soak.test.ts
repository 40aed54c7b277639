// Kill soak (issue 8, a test that stays): a child process edits a project as
// fast as it can while this test SIGKILLs it, at least 200 times; every
// acknowledged edit must survive, whole (test/helpers/kill-soak.ts). The work
// is bounded by the count, not by time: the test has no time limit of its own
// (a loaded machine only makes it slower; issue 16), and how long it takes is
// a figure of `npm run bench -- store-soak` (bench/store-soak.bench.ts).
// EGM_SOAK_KILLS sets another count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCrashChild, runKillSoak, soakProject } from '../helpers/kill-soak';
import { tempDir } from '../helpers/store-temp';

const KILLS = Number(process.env.EGM_SOAK_KILLS ?? 200);

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  tmp = tempDir('egm-soak-');
  await bundleCrashChild();
});
afterAll(() => tmp.cleanup());

describe('store kill soak', () => {
  // 0: no time limit. Each child that never starts fails its round on its own (kill-soak.ts).
  it(`keeps every acknowledged edit through ${KILLS} SIGKILLs`, { timeout: 0 }, async () => {
    const result = await runKillSoak(soakProject(tmp.dir), KILLS);
    console.log(`soak_kills=${result.kills} soak_lost=${result.lost} (${result.acked} acknowledged edits checked, ${result.inFlightAtKill} kills with an edit in flight)`);
    expect(result.problems.slice(0, 5)).toEqual([]);
    expect(result.lost).toBe(0);
    // Not vacuous: the children really did edit, and some kills did land mid-edit.
    expect(result.acked).toBeGreaterThan(KILLS);
    expect(result.inFlightAtKill).toBeGreaterThan(0);
  });
});
