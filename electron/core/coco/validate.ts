// Structural validation of a parsed COCO file: everything whose failure makes
// the whole file unusable (a missing array, an image without file_name, an id
// used twice). These fail the import with one line naming the place; problems
// confined to one annotation are left to the planner, which skips and reports.
import { CocoFormatError, describeValue } from './errors';
import { COCO_LIMITS } from './limits';
import type { CocoAnnotationEntry, CocoCategoryEntry, CocoImageEntry, CocoStructure } from './types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(where: string, what: string): never {
  throw new CocoFormatError(`${where}: ${what}`);
}

function array(doc: Json, key: string): unknown[] {
  const value = doc[key];
  if (value === undefined) fail('top level', `missing "${key}" array`);
  if (!Array.isArray(value)) fail(key, `expected an array, got ${describeValue(value)}`);
  return value;
}

function entry(value: unknown, where: string): Json {
  if (!isObject(value)) fail(where, `expected an object, got ${describeValue(value)}`);
  return value;
}

function integerId(obj: Json, where: string): number {
  const id = obj.id;
  if (id === undefined) fail(`${where}.id`, 'missing');
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) fail(`${where}.id`, `expected an integer, got ${describeValue(id)}`);
  return id;
}

function positiveInteger(obj: Json, key: string, where: string): number {
  const v = obj[key];
  if (v === undefined) fail(`${where}.${key}`, 'missing');
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) fail(`${where}.${key}`, `expected a positive integer, got ${describeValue(v)}`);
  return v;
}

function nonEmptyString(obj: Json, key: string, where: string, maxChars: number): string {
  const v = obj[key];
  if (v === undefined) fail(`${where}.${key}`, 'missing');
  if (typeof v !== 'string' || v.trim() === '') fail(`${where}.${key}`, `expected a non-empty string, got ${describeValue(v)}`);
  if (v.length > maxChars) fail(`${where}.${key}`, `${v.length} characters, over the ${maxChars} this app stores`);
  return v;
}

/** An array no longer than `max` entries; a longer one refuses the file (the import's work is bounded). */
function bounded(values: unknown[], key: string, max: number): unknown[] {
  if (values.length > max) fail(key, `${values.length} entries, over the ${max.toLocaleString('en-US')} one import takes`);
  return values;
}

/** Remembers where each key was first seen, to name both places of a duplicate. */
function uniqueKeys<K>(section: string, what: string) {
  const seen = new Map<K, number>();
  return (key: K, index: number, shown: string) => {
    const first = seen.get(key);
    if (first !== undefined) fail(`${section}[${index}].${what}`, `duplicate ${what === 'id' ? 'id' : what} ${shown} (also ${section}[${first}])`);
    seen.set(key, index);
  };
}

export function validateCocoStructure(doc: unknown): CocoStructure {
  if (!isObject(doc)) fail('top level', `expected a JSON object, got ${describeValue(doc)}`);
  const rawImages = bounded(array(doc, 'images'), 'images', COCO_LIMITS.images);
  const rawAnnotations = bounded(array(doc, 'annotations'), 'annotations', COCO_LIMITS.annotations);
  const rawCategories = bounded(array(doc, 'categories'), 'categories', COCO_LIMITS.categories);

  const imageId = uniqueKeys<number>('images', 'id');
  const fileName = uniqueKeys<string>('images', 'file_name');
  const images: CocoImageEntry[] = rawImages.map((raw, index) => {
    const where = `images[${index}]`;
    const obj = entry(raw, where);
    const id = integerId(obj, where);
    imageId(id, index, String(id));
    const name = nonEmptyString(obj, 'file_name', where, COCO_LIMITS.fileNameChars);
    fileName(name, index, `'${name}'`);
    const image: CocoImageEntry = { index, id, fileName: name, width: positiveInteger(obj, 'width', where), height: positiveInteger(obj, 'height', where) };
    if (obj.neg_phrases !== undefined && obj.neg_phrases !== null) image.negPhrases = obj.neg_phrases;
    return image;
  });

  const categoryId = uniqueKeys<number>('categories', 'id');
  const categoryName = uniqueKeys<string>('categories', 'name');
  const categories: CocoCategoryEntry[] = rawCategories.map((raw, index) => {
    const where = `categories[${index}]`;
    const obj = entry(raw, where);
    const id = integerId(obj, where);
    categoryId(id, index, String(id));
    const name = nonEmptyString(obj, 'name', where, Infinity).trim();
    if (name.length > COCO_LIMITS.categoryNameChars) fail(`${where}.name`, `${name.length} characters, over the ${COCO_LIMITS.categoryNameChars} a category name may have`);
    categoryName(name, index, `'${name}'`);
    return { index, id, name };
  });

  const annotationId = uniqueKeys<number>('annotations', 'id');
  const annotations: CocoAnnotationEntry[] = rawAnnotations.map((raw, index) => {
    const where = `annotations[${index}]`;
    const obj = entry(raw, where);
    const id = integerId(obj, where);
    annotationId(id, index, String(id));
    return { index, id, raw: obj };
  });

  return { images, categories, annotations };
}
