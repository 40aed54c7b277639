// `egm eval` (issue 9, item 5) through a local OpenAI-style server whose
// answers are scripted per prompt, on a 1000×500 image where the 0-1000 grid
// maps to pixels exactly (x = v, y = v / 2), so every IoU is computed by hand:
//   visible  the red ball            truth [100,50,300,250]  answer → [100,50,300,250]   IoU 1
//            the ball on the left    truth [100,50,300,250]  answer → [200,50,400,250]   IoU 20000/60000 = 1/3
//            the lamp                truth [500,100,700,300] no box                      IoU 0 (stays in the denominator)
//            the cup                 truth [0,0,100,100]     answer → [0,0,100,150]      IoU 10000/15000 = 2/3
//            (an unreviewed box is not ground truth)
//            acc50 = 2/4 = 0.5 (IoU > 0.5 strictly), miou = (1 + 1/3 + 0 + 2/3) / 4 = 0.5
//   amodal   the red ball            truth [80,0,300,300]    answer [80,-100,300,600]: kept as
//            answered for review ([80,-50,300,300], past the top edge), scored as the authors clamp
//            it → [80,0,300,300]                                                         IoU 1
//            the ball on the left    truth [80,0,300,300]    answer → [80,0,300,240]     IoU 52800/66000 = 0.8
//            acc50 = 1, miou = 0.9
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../electron/store/project-store';
import { pickle, type PickleValue } from '@core/datasets/pickle';
import { NO_BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { solidJpeg } from '../helpers/make-images';
import { egm, makeWorkspace, type Workspace } from './cli-project-helpers';

const answer = (box: number[]) => '```json\n[\n\t{"bbox_2d": [' + box.join(', ') + '], "label": "x"}\n]\n```';

let server: FakeServer;
let ws: Workspace;
beforeAll(async () => {
  server = await startFakeOpenAIServer({
    record: false,
    answerByPrompt: {
      'Locate the red ball,': answer([100, 100, 300, 500]),
      'Locate the red ball amodally,': answer([80, -100, 300, 600]),
      'Locate the ball on the left,': answer([200, 100, 400, 500]),
      'Locate the ball on the left amodally,': answer([80, 0, 300, 480]),
      'Locate the lamp,': NO_BOX_ANSWER,
      'Locate the cup,': answer([0, 0, 100, 300]),
    },
  });
});
afterAll(async () => server?.close());
beforeEach(async () => {
  ws = await makeWorkspace();
  writeFileSync(join(ws.images, 'wide.jpg'), await solidJpeg(1000, 500));
  await egm(ws.root, 'init', 'e.egm', '--images', 'images dir ✓');
  const store = openProjectStore(join(ws.root, 'e.egm'));
  try {
    const wide = store.listImages().find((i) => i.fileName === 'wide.jpg')!;
    const base = { imageId: wide.id, categoryId: null, occluded: false, source: 'manual' as const, model: null, score: null, reviewed: true, amodal: null };
    store.createAnnotation({ ...base, phrase: 'the red ball', morePhrases: ['the ball on the left'], visible: [100, 50, 300, 250], amodal: [80, 0, 300, 300] });
    store.createAnnotation({ ...base, phrase: 'the lamp', visible: [500, 100, 700, 300] });
    store.createAnnotation({ ...base, phrase: 'the cup', visible: [0, 0, 100, 100] });
    store.createAnnotation({ ...base, phrase: 'the hidden thing', visible: [600, 300, 700, 400], reviewed: false });
  } finally {
    store.close();
  }
});
afterEach(() => ws.cleanup());

describe('egm eval', () => {
  it("scores every phrase of every reviewed box with the authors' protocol", async () => {
    const run = await egm(ws.root, 'eval', 'e.egm', '--server', server.baseUrl, '--kind', 'both', '--out', 'report.json', '--html', 'report.html');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines.at(-1)!);
    expect(Object.keys(summary)).toEqual(['visible', 'amodal']);
    expect(summary.visible).toMatchObject({ n: 4, acc50: 0.5, miou: 0.5, noBox: 1, failed: 0 });
    expect(summary.amodal).toMatchObject({ n: 2, acc50: 1, miou: 0.9, noBox: 0, failed: 0 });
    expect(summary.visible.latencyMs).toEqual({ p50: expect.any(Number), p95: expect.any(Number), mean: expect.any(Number) });
    expect(summary.visible.tokens.total).toBeGreaterThan(0);
    expect(run.stderr).toContain('evaluating 6 queries');

    const report = JSON.parse(readFileSync(join(ws.root, 'report.json'), 'utf8'));
    const ious = Object.fromEntries(report.cases.map((c: { kind: string; phrase: string; iou: number }) => [`${c.kind} ${c.phrase}`, c.iou]));
    expect(ious['visible the red ball']).toBeCloseTo(1, 12);
    expect(ious['visible the ball on the left']).toBeCloseTo(1 / 3, 12);
    expect(ious['visible the lamp']).toBe(0);
    expect(ious['visible the cup']).toBeCloseTo(2 / 3, 12);
    expect(ious['amodal the ball on the left']).toBeCloseTo(0.8, 12);
    // The answer past the edge is scored clamped, as the authors score it (the box kept for review is not).
    const redBall = report.cases.find((c: { kind: string; phrase: string }) => c.kind === 'amodal' && c.phrase === 'the red ball');
    expect(redBall).toMatchObject({ box: [80, 0, 300, 300], iou: 1 });
    const html = readFileSync(join(ws.root, 'report.html'), 'utf8');
    expect(html).toContain('Worst cases');
    expect(html.match(/data:image\/jpeg;base64,/g)).toHaveLength(6);
    // The worst case comes first: the lamp, which got no box.
    expect(html.indexOf('the lamp')).toBeLessThan(html.indexOf('the ball on the left'));
  });

  it('asks only the kind given, and says so when there is nothing to evaluate', async () => {
    const run = await egm(ws.root, 'eval', 'e.egm', '--server', server.baseUrl, '--kind', 'amodal');
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(['amodal']);
    await egm(ws.root, 'init', 'empty.egm');
    const empty = await egm(ws.root, 'eval', 'empty.egm', '--server', server.baseUrl);
    expect([empty.code, empty.stderr]).toEqual([1, expect.stringMatching(/^egm eval: .*empty\.egm: nothing to evaluate: no reviewed box with a phrase\n$/)]);
    expect(existsSync(join(ws.root, 'report.json'))).toBe(false);
  });

  it('--refcoco runs the same protocol on a RefCOCO-style dataset (here, this project exported with egm export --refcoco)', async () => {
    mkdirSync(join(ws.root, 'refer'));
    expect((await egm(ws.root, 'export', 'e.egm', '--refcoco', 'refer', '--dataset', 'mine', '--split-by', 'me', '--splits', 'val=1')).code).toBe(0);
    const run = await egm(ws.root, 'eval', '--refcoco', 'refer', '--dataset', 'mine', '--split-by', 'me', '--split', 'val', '--images', 'images dir ✓', '--server', server.baseUrl, '--kind', 'both');
    expect(run.stderr).toContain('evaluating 7 queries');
    const summary = JSON.parse(run.stdout);
    // A RefCOCO export holds every object with a phrase, reviewed or not: 'the hidden thing' gets the
    // server's default box [100,200,500,750] → [100,100,500,375], IoU 0 with [600,300,700,400].
    expect(summary.visible).toMatchObject({ n: 5, acc50: 0.4, miou: 0.4, noBox: 1 });
    expect(summary.amodal).toMatchObject({ n: 2, acc50: 1, miou: 0.9 });
    const wrongSplit = await egm(ws.root, 'eval', '--refcoco', 'refer', '--dataset', 'mine', '--split-by', 'me', '--split', 'testA', '--images', 'images dir ✓', '--server', server.baseUrl);
    expect(wrongSplit.stderr).toMatch(/^egm eval: .*refs\(me\)\.p: no refs in split 'testA' \(splits: val\)\n$/);
    const missing = await egm(ws.root, 'eval', '--refcoco', 'refer', '--dataset', 'mine', '--split-by', 'me', '--images', 'x', '--server', server.baseUrl);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/--refcoco needs --split NAME/)]);
  });

  describe('a hostile RefCOCO dataset (issue 16, security second round)', () => {
    const HOSTILE = '<img src=x onerror=alert(1)>';
    /** refer/<name>/refs(x).p and instances.json with one ref on one image. */
    function dataset(name: string, image: { id: unknown; file_name: string }, annId: unknown = 7): void {
      const folder = join(ws.root, 'refer', name);
      mkdirSync(folder, { recursive: true });
      const refs = [{ ref_id: 1, ann_id: annId, image_id: image.id, category_id: 1, split: 'val', file_name: image.file_name, sent_ids: [1], sentences: [{ sent: 'the red ball', raw: 'the red ball', tokens: ['the'], sent_id: 1 }] }];
      writeFileSync(join(folder, 'refs(x).p'), pickle(refs as PickleValue));
      writeFileSync(join(folder, 'instances.json'), JSON.stringify({
        images: [{ ...image, width: 1000, height: 500 }],
        annotations: [{ id: annId, image_id: image.id, bbox: [100, 50, 200, 200], category_id: 1 }],
        categories: [{ id: 1, name: 'ball' }],
      }));
    }
    const evalArgs = (name: string) => ['eval', '--refcoco', 'refer', '--dataset', name, '--split-by', 'x', '--split', 'val', '--images', 'images dir ✓', '--server', server.baseUrl, '--html', `${name}.html`];

    it('ids from the pickle are escaped in the HTML report, which allows no script (CSP)', async () => {
      dataset('ids', { id: HOSTILE, file_name: 'wide.jpg' }, `${HOSTILE}"'&`);
      const run = await egm(ws.root, ...evalArgs('ids'));
      expect(run.code).toBe(0);
      const html = readFileSync(join(ws.root, 'ids.html'), 'utf8');
      expect(html).not.toContain('<img src=x');
      expect(html).not.toMatch(/onerror=alert\(1\)>/);
      expect(html).toContain('image &#60;img src=x onerror=alert(1)&#62;, box &#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;');
      // Every tag in the page is one the report itself writes.
      const tags = new Set([...html.matchAll(/<([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase()));
      expect([...tags].sort()).toEqual(['b', 'body', 'br', 'div', 'figcaption', 'figure', 'h1', 'h2', 'head', 'html', 'img', 'meta', 'p', 'span', 'style', 'table', 'td', 'th', 'title', 'tr']);
      expect(html.match(/<img [^>]*>/g)).toEqual([expect.stringMatching(/^<img src="data:image\/jpeg;base64,[A-Za-z0-9+/=]+" alt="">$/)]);
      const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1];
      expect(csp).toMatch(/^default-src 'none'; img-src data:; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
      expect(html).not.toMatch(/<script|style="/i);
      // The hash names the page's one style block exactly, so the report keeps its look under the CSP.
      const style = html.match(/<style>([\s\S]*?)<\/style>/)![1]!;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    });

    it('a file_name that leads outside --images is refused in one line; nothing is read or sent', async () => {
      mkdirSync(join(ws.root, 'private'));
      writeFileSync(join(ws.root, 'private', 'secret.jpg'), await solidJpeg(1000, 500));
      const before = server.requests.length;
      dataset('escape', { id: 1, file_name: '../private/secret.jpg' });
      const run = await egm(ws.root, ...evalArgs('escape'));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^egm eval: .*instances\.json: image 1: file_name "\.\.\/private\/secret\.jpg" leads outside the images folder .*images dir ✓; refused\n$/);
      expect(server.requests.length).toBe(before);
      expect(existsSync(join(ws.root, 'escape.html'))).toBe(false);

      // The same through a link inside the images folder.
      symlinkSync(join(ws.root, 'private'), join(ws.images, 'linked'));
      dataset('linked', { id: 2, file_name: 'linked/secret.jpg' });
      const linked = await egm(ws.root, ...evalArgs('linked'));
      expect(linked.code).toBe(1);
      expect(linked.stderr).toMatch(/file_name "linked\/secret\.jpg" leads outside the images folder/);
      expect(server.requests.length).toBe(before);
    });
  });

  it('counts failed queries as IoU 0 and exits 1 when every query failed', async () => {
    const down = await egm(ws.root, 'eval', 'e.egm', '--server', 'http://127.0.0.1:9/v1', '--timeout', '2');
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).visible).toMatchObject({ n: 4, acc50: 0, miou: 0, failed: 4 });
    expect(down.stderr).toMatch(/^egm eval: every query failed \(e\.g\. error: .*\); the figures above count them as IoU 0\n$/m);
  });
});
