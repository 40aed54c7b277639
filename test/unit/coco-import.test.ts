import { describe, expect, it } from 'vitest';
import {
  CocoFormatError,
  jsonErrorOffset,
  parseJsonWithPosition,
  planImport,
  validateCocoStructure,
  type ImageAvailability,
} from '@core/coco';

type Doc = { images: unknown[]; annotations: unknown[]; categories: unknown[]; [k: string]: unknown };

function base(): Doc {
  return {
    images: [
      { id: 1, file_name: 'a.jpg', width: 640, height: 480 },
      { id: 2, file_name: 'sub/b.png', width: 100, height: 50 },
    ],
    categories: [{ id: 0, name: 'cat' }, { id: 5, name: 'dog', supercategory: 'animal' }],
    annotations: [{ id: 10, image_id: 1, category_id: 0, bbox: [1, 2, 30, 40], area: 1200, iscrowd: 0 }],
  };
}

function fatal(doc: unknown): string {
  try {
    validateCocoStructure(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(CocoFormatError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseJsonWithPosition', () => {
  const cases: [string, string][] = [
    ['{"images": [1, 2,]}', 'line 1, column 18'],
    ['{\n  "images": [\n    {"id": 1}\n  ]\n  "x": 1\n}', 'line 5, column 3'],
    ['{"a": tru}', 'line 1, column 7'],
    ['{"a": "unterminated', 'line 1, column 20'],
    ['', 'line 1, column 1'],
    ['{} x', 'line 1, column 4'],
    ['{"a": "tab\tin string"}', 'line 1, column 11'],
    ['{"a": 01}', 'line 1, column 8'],
  ];
  for (const [text, where] of cases) {
    it(`reports ${where} for ${JSON.stringify(text).slice(0, 30)}`, () => {
      expect(() => parseJsonWithPosition(text, 'f.json')).toThrow(new RegExp(`^f\\.json: invalid JSON at ${where}: `));
    });
  }

  it('keeps the message to one line without quoting the file', () => {
    const text = `{"images": [${'1,'.repeat(1000)} }`;
    try {
      parseJsonWithPosition(text, 'big.json');
      expect.unreachable();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message.length).toBeLessThan(200);
    }
  });

  it('agrees with JSON.parse on valid input', () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', '[]', ' 0 ', '"x"']) {
      expect(jsonErrorOffset(text)).toBeNull();
      expect(parseJsonWithPosition(text, 'x')).toEqual(JSON.parse(text));
    }
  });
});

describe('validateCocoStructure', () => {
  it('accepts a plain COCO file (0-based category ids, supercategory)', () => {
    const s = validateCocoStructure(base());
    expect(s.images.map((i) => i.fileName)).toEqual(['a.jpg', 'sub/b.png']);
    expect(s.categories).toEqual([
      { index: 0, id: 0, name: 'cat' },
      { index: 1, id: 5, name: 'dog' },
    ]);
  });

  const broken: [string, (d: Doc) => unknown, RegExp][] = [
    ['a top-level array', () => [], /^top level: expected a JSON object, got \[\]$/],
    ['missing images', (d) => ({ ...d, images: undefined }), /^top level: missing "images" array$/],
    ['missing annotations', (d) => ({ ...d, annotations: undefined }), /^top level: missing "annotations" array$/],
    ['missing categories', (d) => ({ ...d, categories: undefined }), /^top level: missing "categories" array$/],
    ['images not an array', (d) => ({ ...d, images: {} }), /^images: expected an array, got \{\}$/],
    ['an image that is a number', (d) => ({ ...d, images: [3] }), /^images\[0\]: expected an object, got 3$/],
    ['an image without id', (d) => ({ ...d, images: [{ file_name: 'a', width: 1, height: 1 }] }), /^images\[0\]\.id: missing$/],
    ['a string image id', (d) => ({ ...d, images: [{ id: '1', file_name: 'a', width: 1, height: 1 }] }), /^images\[0\]\.id: expected an integer, got "1"$/],
    ['a fractional image id', (d) => ({ ...d, images: [{ id: 1.5, file_name: 'a', width: 1, height: 1 }] }), /^images\[0\]\.id: expected an integer/],
    ['duplicate image ids', (d) => { d.images.push({ id: 1, file_name: 'c.jpg', width: 1, height: 1 }); return d; }, /^images\[2\]\.id: duplicate id 1 \(also images\[0\]\)$/],
    ['duplicate file names', (d) => { d.images.push({ id: 3, file_name: 'a.jpg', width: 1, height: 1 }); return d; }, /^images\[2\]\.file_name: duplicate file_name 'a\.jpg' \(also images\[0\]\)$/],
    ['an empty file_name', (d) => ({ ...d, images: [{ id: 1, file_name: ' ', width: 1, height: 1 }] }), /^images\[0\]\.file_name: expected a non-empty string/],
    ['a missing width', (d) => ({ ...d, images: [{ id: 1, file_name: 'a', height: 1 }] }), /^images\[0\]\.width: missing$/],
    ['a zero height', (d) => ({ ...d, images: [{ id: 1, file_name: 'a', width: 1, height: 0 }] }), /^images\[0\]\.height: expected a positive integer, got 0$/],
    ['duplicate category ids', (d) => { d.categories.push({ id: 5, name: 'emu' }); return d; }, /^categories\[2\]\.id: duplicate id 5 \(also categories\[1\]\)$/],
    ['duplicate category names', (d) => { d.categories.push({ id: 6, name: 'cat ' }); return d; }, /^categories\[2\]\.name: duplicate name 'cat' \(also categories\[0\]\)$/],
    ['a category without name', (d) => { d.categories.push({ id: 6 }); return d; }, /^categories\[2\]\.name: missing$/],
    ['an annotation that is null', (d) => { d.annotations.push(null); return d; }, /^annotations\[1\]: expected an object, got null$/],
    ['duplicate annotation ids', (d) => { d.annotations.push({ id: 10, image_id: 1 }); return d; }, /^annotations\[1\]\.id: duplicate id 10 \(also annotations\[0\]\)$/],
    ['an annotation without id', (d) => { d.annotations.push({ image_id: 1 }); return d; }, /^annotations\[1\]\.id: missing$/],
  ];
  for (const [what, edit, expected] of broken) {
    it(`fails on ${what}`, () => {
      expect(fatal(edit(base()))).toMatch(expected);
    });
  }
});

describe('planImport', () => {
  const sizes = new Map<number, ImageAvailability>([
    [1, { width: 640, height: 480 }],
    [2, { width: 100, height: 50 }],
  ]);

  function plan(annotations: unknown[], avail = sizes) {
    return planImport(validateCocoStructure({ ...base(), annotations: annotations.map((a, i) => ({ id: i + 1, image_id: 1, ...(a as object) })) }), avail);
  }

  it('gives plain COCO annotations the documented defaults', () => {
    const p = plan([{ category_id: 5, bbox: [1, 2, 30, 40] }]);
    expect(p.skipped).toEqual([]);
    expect(p.annotations).toEqual([
      { cocoId: 1, cocoImageId: 1, categoryName: 'dog', phrase: '', morePhrases: [], visible: [1, 2, 31, 42], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true, truncated: null, difficult: false, attributes: {} },
    ]);
  });

  it('reads our extensions, and a missing category as none', () => {
    const p = plan([
      { bbox: [1, 2, 3, 4], amodal_bbox: [-10, 0, 700, 10], phrase: 'the lime', attributes: { occluded: true, source: 'model', model: 'm', score: 0.5, reviewed: false, rotation: 0 } },
    ]);
    expect(p.annotations[0]).toMatchObject({ categoryName: null, phrase: 'the lime', amodal: [-10, 0, 690, 10], occluded: true, source: 'model', model: 'm', score: 0.5, reviewed: false, truncated: null, difficult: false, attributes: { rotation: 0 } });
  });

  const skips: [string, object, string, RegExp][] = [
    ['unknown image_id', { image_id: 99, bbox: [1, 1, 1, 1] }, 'annotations[0].image_id', /^unknown image id 99$/],
    ['unknown category_id', { category_id: 7, bbox: [1, 1, 1, 1] }, 'annotations[0].category_id', /^unknown category id 7$/],
    ['missing bbox', {}, 'annotations[0].bbox', /^missing$/],
    ['a 3-number bbox', { bbox: [1, 2, 3] }, 'annotations[0].bbox', /4 finite numbers, got \[1,2,3\]/],
    ['a string in bbox', { bbox: [1, 2, '3', 4] }, 'annotations[0].bbox', /4 finite numbers/],
    ['negative size', { bbox: [10, 10, -5, 4] }, 'annotations[0].bbox', /^negative size -5×4$/],
    ['zero size', { bbox: [10, 10, 0, 4] }, 'annotations[0].bbox', /^empty box/],
    ['bbox outside the image', { bbox: [600, 10, 80, 20] }, 'annotations[0].bbox', /^\[600,10,80,20\] lies outside image 1 'a\.jpg' \(640×480\)$/],
    ['bbox left of the image', { bbox: [-3, 10, 80, 20] }, 'annotations[0].bbox', /lies outside image 1/],
    ['a bad amodal_bbox', { bbox: [1, 1, 1, 1], amodal_bbox: [1, 1, -1, 1] }, 'annotations[0].amodal_bbox', /^negative size/],
    ['an amodal box whose corner overflows', { bbox: [1, 1, 1, 1], amodal_bbox: [1e308, 0, 1e308, 1] }, 'annotations[0].amodal_bbox', /^coordinates too large/],
    ['a crowd region', { bbox: [1, 1, 1, 1], iscrowd: 1 }, 'annotations[0].iscrowd', /crowd region/],
    ['a numeric phrase', { bbox: [1, 1, 1, 1], phrase: 3 }, 'annotations[0].phrase', /expected a string, got 3/],
    ['attributes as a list', { bbox: [1, 1, 1, 1], attributes: [] }, 'annotations[0].attributes', /expected an object/],
    ['an unknown source', { bbox: [1, 1, 1, 1], attributes: { source: 'robot' } }, 'annotations[0].attributes.source', /"manual" or "model", got "robot"/],
    ['a string score', { bbox: [1, 1, 1, 1], attributes: { score: 'high' } }, 'annotations[0].attributes.score', /finite number/],
    ['reviewed as 1', { bbox: [1, 1, 1, 1], attributes: { reviewed: 1 } }, 'annotations[0].attributes.reviewed', /true or false/],
  ];
  for (const [what, ann, path, reason] of skips) {
    it(`skips ${what} and says where`, () => {
      const p = plan([ann, { bbox: [1, 1, 1, 1] }]);
      expect(p.annotations).toHaveLength(1);
      expect(p.skipped).toHaveLength(1);
      expect(p.skipped[0]!.path).toBe(path);
      expect(p.skipped[0]!.reason).toMatch(reason);
    });
  }

  it('accepts a bbox that overshoots the image edge by under a pixel', () => {
    expect(plan([{ bbox: [0, 0, 640.5, 480.9] }]).skipped).toEqual([]);
  });

  it('skips an unavailable image once, counting its annotations', () => {
    const avail = new Map<number, ImageAvailability>([[1, { reason: 'file not found' }], [2, { width: 100, height: 50 }]]);
    const p = plan([{ bbox: [1, 1, 1, 1] }, { bbox: [1, 1, 1, 1] }, { image_id: 2, bbox: [1, 1, 1, 1] }], avail);
    expect(p.images.map((i) => i.id)).toEqual([2]);
    expect(p.annotations.map((a) => a.cocoImageId)).toEqual([2]);
    expect(p.skipped).toEqual([{ path: 'images[0]', reason: "'a.jpg': file not found (its 2 annotations skipped too)" }]);
  });

  it('warns when the file size disagrees with the displayed size and checks boxes against the displayed one', () => {
    const rotated = new Map<number, ImageAvailability>([[1, { width: 480, height: 640 }], [2, { width: 100, height: 50 }]]);
    const p = plan([{ bbox: [0, 600, 10, 10] }, { bbox: [600, 0, 10, 10] }], rotated);
    expect(p.warnings).toEqual([
      "images[0] 'a.jpg': COCO size 640×480 differs from the displayed size 480×640 (EXIF orientation applied); boxes are checked against the displayed size",
    ]);
    expect(p.annotations).toHaveLength(1);
    expect(p.skipped[0]!.reason).toMatch(/outside image 1 'a\.jpg' \(480×640\)/);
  });
});
