import { describe, expect, it } from 'vitest';
import type { Annotation, Category } from '@core/types';
import {
  buildCocoDocument,
  boxToCoco,
  cocoToBox,
  DEFAULT_CATEGORY_NAME,
  planImport,
  serializeCoco,
  validateCocoStructure,
  type ExportInput,
} from '@core/coco';

function annotation(id: number, imageId: number, over: Partial<Annotation> = {}): Annotation {
  return {
    id,
    imageId,
    categoryId: 1,
    phrase: `thing ${id}`,
    morePhrases: [],
    visible: [10.1, 20.2, 30.3, 40.4],
    amodal: null,
    occluded: false,
    source: 'manual',
    model: null,
    score: null,
    reviewed: true,
    color: '#f00',
    truncated: null,
    difficult: false,
    attributes: {},
    createdAt: 1,
    updatedAt: 2,
    ...over,
  };
}

const categories: Category[] = [
  { id: 4, name: 'fruit' },
  { id: 2, name: 'ball' },
];

const input: ExportInput = {
  images: [
    { id: 7, fileName: 'b/two.jpg', width: 640, height: 480 },
    { id: 3, fileName: 'one.png', width: 100, height: 50 },
  ],
  categories,
  annotations: [
    annotation(9, 7, { categoryId: 4, amodal: [0.1, 0.2, 99.7, 60], occluded: true, source: 'model', model: 'egm-2b', score: 0.8731, reviewed: false }),
    annotation(5, 7, { categoryId: null, phrase: 'the "lime" \u00e9 ✓' }),
    annotation(12, 3, { categoryId: 2 }),
  ],
};

describe('buildCocoDocument', () => {
  const doc = buildCocoDocument(input);

  it('keeps the project ids as COCO ids, in a stable order', () => {
    expect(doc.images.map((i) => [i.id, i.file_name])).toEqual([
      [3, 'one.png'],
      [7, 'b/two.jpg'],
    ]);
    // The default category takes the next free id after the project's.
    expect(doc.categories).toEqual([
      { id: 2, name: 'ball' },
      { id: 4, name: 'fruit' },
      { id: 5, name: DEFAULT_CATEGORY_NAME },
    ]);
    // image order first (image 3 before 7), then annotation id
    expect(doc.annotations.map((a) => [a.id, a.image_id, a.category_id])).toEqual([
      [12, 3, 2],
      [5, 7, 5],
      [9, 7, 4],
    ]);
  });

  it('writes visible bbox, amodal_bbox, area, phrase and attributes', () => {
    const a = doc.annotations[2]!;
    expect(a.bbox).toEqual([10.1, 20.2, 20.2, 20.2]);
    expect(a.area).toBe(408.04);
    expect(a.iscrowd).toBe(0);
    expect(a.amodal_bbox).toEqual([0.1, 0.2, 99.6, 59.8]);
    expect(a.attributes).toEqual({ occluded: true, source: 'model', model: 'egm-2b', score: 0.8731, reviewed: false, truncated: false, difficult: false });
    expect(doc.annotations[1]).not.toHaveProperty('amodal_bbox');
    expect(doc.annotations[1]!.attributes).toEqual({ occluded: false, source: 'manual', reviewed: true, truncated: false, difficult: false });
  });

  it('reuses an existing "object" category for annotations without one', () => {
    const withObject = buildCocoDocument({ ...input, categories: [...categories, { id: 1, name: 'object' }] });
    expect(withObject.categories.map((c) => c.name)).toEqual(['object', 'ball', 'fruit']);
    expect(withObject.annotations[1]!.category_id).toBe(1);
  });

  it('adds no default category when every annotation has one, and writes no unused category', () => {
    const none = buildCocoDocument({ ...input, annotations: [annotation(1, 3, { categoryId: 4 })] });
    expect(none.categories.map((c) => c.name)).toEqual(['fruit']);
  });

  it('refuses annotations that point at nothing', () => {
    expect(() => buildCocoDocument({ ...input, annotations: [annotation(1, 99)] })).toThrow(/annotation 1 refers to image 99/);
    expect(() => buildCocoDocument({ ...input, annotations: [annotation(1, 3, { categoryId: 42 })] })).toThrow(/category 42/);
  });

  it('contains no timestamps or other run-dependent data', () => {
    const again = serializeCoco(buildCocoDocument({ ...input, annotations: input.annotations.map((a) => ({ ...a, createdAt: 99, updatedAt: 100, color: '#0f0' })) }));
    expect(again).toBe(serializeCoco(doc));
  });
});

describe('serializeCoco', () => {
  it('parses back to the same document, one record per line', () => {
    const doc = buildCocoDocument(input);
    const text = serializeCoco(doc);
    expect(JSON.parse(text)).toEqual(doc);
    expect(text.split('\n').filter((l) => l.startsWith('{"id":')).length).toBe(2 + 3 + 3);
    expect(text.endsWith(']}\n')).toBe(true);
  });

  it('breaks lines only between records, whatever the strings hold', () => {
    const nasty = '},{"id":1} \\"},\n{"id": ✓';
    const doc = buildCocoDocument({
      images: [{ id: 1, fileName: nasty, width: 10, height: 10 }],
      categories: [{ id: 1, name: nasty }, { id: 2, name: 'b' }],
      annotations: [annotation(1, 1, { phrase: nasty }), annotation(2, 1, { phrase: nasty, model: nasty, source: 'model', categoryId: 2 })],
    });
    const text = serializeCoco(doc);
    expect(JSON.parse(text)).toEqual(doc);
    const records = text.split('\n').filter((l) => l.startsWith('{"id":'));
    expect(records).toHaveLength(1 + 2 + 2);
    for (const line of records) expect(() => JSON.parse(line.replace(/,$/, ''))).not.toThrow();
  });

  it('writes empty sections as []', () => {
    const text = serializeCoco(buildCocoDocument({ images: [], categories: [], annotations: [] }));
    expect(JSON.parse(text)).toMatchObject({ images: [], annotations: [], categories: [] });
  });
});

describe('box conversion', () => {
  it('maps [x1,y1,x2,y2] to [x,y,w,h] and back', () => {
    expect(boxToCoco([30, 40, 10, 20])).toEqual([10, 20, 20, 20]); // unordered corners are normalised
    expect(cocoToBox([10, 20, 5, 6])).toEqual([10, 20, 15, 26]);
  });

  it('survives the float trip x + w - x for many values', () => {
    for (let i = 0; i < 2000; i++) {
      const bbox = boxToCoco([Math.random() * 4000, Math.random() * 3000, Math.random() * 8000, Math.random() * 6000]);
      expect(boxToCoco(cocoToBox(bbox))).toEqual(bbox);
    }
  });
});

describe('export → plan import → export', () => {
  it('gives the same text byte for byte', () => {
    const first = serializeCoco(buildCocoDocument(input));
    const structure = validateCocoStructure(JSON.parse(first));
    const sizes = new Map(structure.images.map((i) => [i.id, { width: i.width, height: i.height }]));
    const plan = planImport(structure, sizes);
    expect(plan.skipped).toEqual([]);
    expect(plan.warnings).toEqual([]);
    // Rebuild project-like records the way the importer stores them into an empty project: the COCO ids kept.
    const cats = structure.categories.map((c) => ({ id: c.id, name: c.name }));
    const catId = new Map(cats.map((c) => [c.name, c.id]));
    const annotations = plan.annotations.map((p) =>
      annotation(p.cocoId, p.cocoImageId, { ...p, categoryId: p.categoryName === null ? null : catId.get(p.categoryName)! }),
    );
    const images = structure.images.map((i) => ({ id: i.id, fileName: i.fileName, width: i.width, height: i.height }));
    const second = serializeCoco(buildCocoDocument({ images, categories: cats, annotations }));
    expect(second).toBe(first);
  });
});
