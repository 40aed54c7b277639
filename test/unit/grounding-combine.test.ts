// Pure parts of the grounding service: folding samples (median + agreement
// with failed samples as IoU 0), proposal fields (score, point hit, reasons),
// the throughput meter and the request limit; and the settings file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Box, GroundingResult } from '@core/types';
import { combineSamples, kindsOf, proposalFields } from '../../electron/grounding/combine';
import { createLimit, ThroughputMeter } from '../../electron/grounding/throughput';
import { DEFAULT_GROUNDING, groundingSettingsPath, loadGroundingPrefs, saveGroundingPrefs } from '../../electron/grounding/settings';
import { envSecretStore } from '../../electron/grounding/secrets';
import { tempDir } from '../helpers/store-temp';

function result(box: Box | null, extra: Partial<GroundingResult> = {}): GroundingResult {
  return {
    phrase: 'p',
    kind: 'visible',
    box,
    raw: '',
    reasoning: `reasoning for ${JSON.stringify(box)}`,
    tokens: 1,
    timings: { preprocessMs: 0, modelMs: 0, totalMs: 0 },
    model: 'm',
    ...(box ? {} : { reason: 'no-box' }),
    ...extra,
  };
}

describe('combineSamples', () => {
  it('passes a single answer through without a score', () => {
    expect(combineSamples([result([1, 2, 3, 4])])).toEqual({ box: [1, 2, 3, 4], reasoning: 'reasoning for [1,2,3,4]', agreement: null, reason: null, model: 'm' });
  });

  it('takes the coordinate-wise median and the mean IoU to it, with the closest sample\'s reasoning', () => {
    const out = combineSamples([result([0, 0, 10, 10]), result([0, 0, 10, 10]), result([0, 0, 20, 10])]);
    expect(out.box).toEqual([0, 0, 10, 10]);
    expect(out.agreement).toBeCloseTo((1 + 1 + 0.5) / 3, 9);
    expect(out.reasoning).toBe('reasoning for [0,0,10,10]');
  });

  it('counts a sample without a box as IoU 0 and prefers an error over no-box as the reason', () => {
    expect(combineSamples([result([0, 0, 10, 10]), result(null)]).agreement).toBeCloseTo(0.5, 9);
    expect(combineSamples([result(null), result(null, { reason: 'timeout' })])).toMatchObject({ box: null, agreement: 0, reason: 'timeout' });
    expect(combineSamples([result(null)])).toMatchObject({ box: null, agreement: null, reason: 'no-box' });
    // Issue 18: a "no box" answer keeps its whole transcript, so the model's sentence is there to review.
    const said = 'I look everywhere.\n</think>\n\nI cannot find such an object in this image.';
    expect(combineSamples([result(null, { raw: said })]).reasoning).toBe(said);
    expect(() => combineSamples([])).toThrow('no results');
  });
});

describe('proposalFields', () => {
  const outcome = (box: Box | null, agreement: number | null, reason: string | null = box ? null : 'no-box') => ({ box, reasoning: 'r', agreement, reason, model: 'm' });

  it('averages the agreement of the kinds asked and checks the point on the visible box', () => {
    const f = proposalFields({ visible: outcome([0, 0, 10, 10], 0.8), amodal: outcome([0, 0, 10, 20], 0.6) }, [5, 15], 'fallback');
    expect(f).toMatchObject({ visible: [0, 0, 10, 10], amodal: [0, 0, 10, 20], score: 0.7, point: [5, 15], pointHit: false, reason: null, model: 'm' });
    expect(proposalFields({ visible: outcome([0, 0, 10, 10], null) }, [5, 5], 'x')).toMatchObject({ score: null, pointHit: true, amodal: null });
  });

  it('checks the point on the amodal box when only it was asked, and names a missing kind', () => {
    expect(proposalFields({ amodal: outcome([0, 0, 10, 20], null) }, [5, 15], 'x').pointHit).toBe(true);
    expect(proposalFields({ visible: outcome([0, 0, 1, 1], null), amodal: outcome(null, null, 'timeout') }, null, 'x').reason).toBe('amodal: timeout');
    expect(proposalFields({ visible: outcome(null, null), amodal: outcome(null, null, 'error: 500') }, null, 'x').reason).toBe('error: 500');
    expect(proposalFields({ visible: outcome(null, null), amodal: outcome(null, null) }, null, 'x').reason).toBe('no-box');
    expect(() => proposalFields({}, null, 'x')).toThrow('no kind was asked');
  });

  it('knows kinds', () => {
    expect(kindsOf('both')).toEqual(['visible', 'amodal']);
    expect(kindsOf('amodal')).toEqual(['amodal']);
  });
});

describe('throughput and limit', () => {
  it('rates over the last minute and gives an ETA', () => {
    let now = 0;
    const meter = new ThroughputMeter(0, () => now);
    expect(meter.eta(10)).toBeNull();
    now = 10_000;
    meter.record(20);
    expect(meter.rate()).toBeCloseTo(2, 9);
    expect(meter.eta(10)).toBeCloseTo(5, 9);
    now = 75_000; // the 20 requests are older than a minute
    meter.record(30);
    expect(meter.rate()).toBeCloseTo(0.5, 9);
    expect(meter.eta(0)).toBe(0);
  });

  it('never runs more than its size at once, even with callers arriving as slots free', async () => {
    const limit = createLimit(3);
    let active = 0;
    let peak = 0;
    const job = () =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 1));
        active--;
      });
    const jobs = Array.from({ length: 20 }, job);
    // Late callers join while earlier ones hand over their slots: right after the first job frees its slot.
    // (The 1 ms inside each job is the simulated work that keeps slots busy, not a wait.)
    await jobs[0];
    jobs.push(...Array.from({ length: 10 }, job));
    await Promise.all(jobs);
    expect(peak).toBe(3);
  });
});

describe('grounding settings file and secrets', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('egm-gsettings-')));
  afterEach(() => cleanup());

  it('defaults when absent, round-trips, and keeps good fields of a partly bad file', async () => {
    expect(await loadGroundingPrefs(dir)).toEqual({ model: null, grounding: DEFAULT_GROUNDING, keyEnvs: {} });
    const prefs = { model: { backend: 'local' as const, modelDir: '/models/egm', device: 'cpu' as const }, grounding: { ...DEFAULT_GROUNDING, samples: 5 }, keyEnvs: {} };
    await saveGroundingPrefs(dir, prefs);
    expect(await loadGroundingPrefs(dir)).toEqual(prefs);
    const file = groundingSettingsPath(dir);
    writeFileSync(file, JSON.stringify({ model: prefs.model, grounding: { samples: 999 } }));
    const problems: string[] = [];
    expect(await loadGroundingPrefs(dir, (m) => problems.push(m))).toEqual({ model: prefs.model, grounding: DEFAULT_GROUNDING, keyEnvs: {} });
    expect(problems).toEqual([expect.stringContaining('grounding settings ignored')]);
    writeFileSync(file, '{nope');
    expect((await loadGroundingPrefs(dir, (m) => problems.push(m))).model).toBeNull();
    expect(problems[1]).toContain('unreadable');
    await expect(saveGroundingPrefs(dir, { model: { backend: 'server', baseUrl: 'not a url' }, grounding: DEFAULT_GROUNDING, keyEnvs: {} })).rejects.toThrow('model settings:');
    expect(readFileSync(file, 'utf8')).toBe('{nope');
  });

  it('a server URL with user:pass@ is refused on save; one already in the file loses them, on disk too (issue 16)', async () => {
    const grounding = DEFAULT_GROUNDING;
    await expect(saveGroundingPrefs(dir, { model: { backend: 'server', baseUrl: 'http://alice:s3cret@127.0.0.1:8000/v1' }, grounding, keyEnvs: {} })).rejects.toThrow(
      /^model settings: baseUrl: a server URL may not hold a user name or password \(user:pass@\): give the key in the API key field/,
    );
    const file = groundingSettingsPath(dir);
    writeFileSync(file, JSON.stringify({ model: { backend: 'server', baseUrl: 'http://alice:s3cret@127.0.0.1:8000/v1' }, grounding }));
    const problems: string[] = [];
    const prefs = await loadGroundingPrefs(dir, (m) => problems.push(m));
    expect(prefs.model).toEqual({ backend: 'server', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(problems).toEqual([expect.stringContaining('the user name and password in the saved server URL were removed')]);
    expect(problems.join(' ')).not.toContain('s3cret');
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
  });

  it('writes only the fields the schemas know, so a key slipped into a settings object stays out of the file', async () => {
    const model = { backend: 'server' as const, baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'sk-secret' };
    await saveGroundingPrefs(dir, { model, grounding: DEFAULT_GROUNDING, keyEnvs: {} });
    const text = readFileSync(groundingSettingsPath(dir), 'utf8');
    expect(text).not.toContain('sk-secret');
    expect(JSON.parse(text).model).toEqual({ backend: 'server', baseUrl: 'http://127.0.0.1:8000/v1' });
  });

  it('reads the API key from the environment and keeps a set one in memory only', async () => {
    const secrets = envSecretStore({ EGM_KEY: 'from-env' }, 'EGM_KEY');
    expect(await secrets.get()).toBe('from-env');
    await secrets.set('typed');
    expect(await secrets.get()).toBe('typed');
    await secrets.set('');
    expect(await secrets.get()).toBeNull();
  });
});
