// An object's attributes beyond its boxes (issue 18, "Attributes"):
// - truncated: the frame cuts the object. Derived from the amodal box (it
//   passes the image's edge: the object goes on outside the picture) unless
//   the user set it; stored as null while it follows the frame.
// - difficult: hard to recognise (Pascal VOC's flag), set by the user.
// - free key/value attributes of the project (pose, colour, ...): a string,
//   number or boolean per key; the project's keys are those its objects use.
// All travel in COCO `attributes` next to occluded/source/model/score/reviewed
// and come back on import. Pure.
import type { Box } from './types';

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** Keys COCO `attributes` already uses for the annotation's own fields: no free attribute may take one. */
export const RESERVED_ATTRIBUTE_KEYS: readonly string[] = ['occluded', 'source', 'model', 'score', 'reviewed', 'truncated', 'difficult'];
export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_KEY = 64;
export const MAX_ATTRIBUTE_TEXT = 500;

/** Whether the amodal box passes the image rectangle on any side (the frame cuts the object). */
export function passesImageEdge(amodal: Box | null, width: number, height: number): boolean {
  return amodal !== null && (amodal[0] < 0 || amodal[1] < 0 || amodal[2] > width || amodal[3] > height);
}

/** The truncated flag as it holds: the user's, else what the amodal box says. */
export function isTruncated(a: { truncated: boolean | null; amodal: Box | null }, size: { width: number; height: number }): boolean {
  return a.truncated ?? passesImageEdge(a.amodal, size.width, size.height);
}

/** What to store for a truncated flag read from a file: null when it is what the frame says anyway (so it keeps following it). */
export function storedTruncated(value: boolean, amodal: Box | null, size: { width: number; height: number }): boolean | null {
  return value === passesImageEdge(amodal, size.width, size.height) ? null : value;
}

/** Why a free attribute key cannot be used, or null when it can. */
export function attributeKeyProblem(key: string): string | null {
  if (key.trim() === '') return 'an attribute needs a name';
  if (key !== key.trim()) return `attribute '${key}' has spaces around its name`;
  if (key.length > MAX_ATTRIBUTE_KEY) return `attribute name '${key.slice(0, 20)}…' is longer than ${MAX_ATTRIBUTE_KEY} characters`;
  if (RESERVED_ATTRIBUTE_KEYS.includes(key)) return `'${key}' is a field of its own, not a free attribute`;
  return null;
}

/** Why a free attribute value cannot be stored, or null when it can. */
export function attributeValueProblem(key: string, value: unknown): string | null {
  if (typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `attribute '${key}' must be a finite number`;
  if (typeof value === 'string') return value.length > MAX_ATTRIBUTE_TEXT ? `attribute '${key}' is longer than ${MAX_ATTRIBUTE_TEXT} characters` : null;
  return `attribute '${key}' must be a string, number or true/false`;
}

/** Why a set of free attributes cannot be stored (the first problem), or null. */
export function attributesProblem(attributes: unknown): string | null {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return 'attributes must be an object of key: value';
  const entries = Object.entries(attributes);
  if (entries.length > MAX_ATTRIBUTES) return `at most ${MAX_ATTRIBUTES} attributes per object, got ${entries.length}`;
  for (const [key, value] of entries) {
    const problem = attributeKeyProblem(key) ?? attributeValueProblem(key, value);
    if (problem) return problem;
  }
  return null;
}

/** Parses the stored JSON (schema version 8; the store writes only checked sets); anything else reads as none, as parsePhrases does. */
export function parseAttributes(text: string | null | undefined): Attributes {
  if (!text || text === '{}') return {};
  try {
    const value: unknown = JSON.parse(text);
    return attributesProblem(value) === null ? (value as Attributes) : {};
  } catch {
    return {};
  }
}

/** The attributes in key order (so equal sets store and export as equal text). */
export function sortedAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attributes).sort()) out[key] = attributes[key]!;
  return out;
}

/** A value typed in the inspector: true/false and plain numbers as such, anything else as text. */
export function parseAttributeInput(text: string): AttributeValue {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t) && Number.isFinite(Number(t))) return Number(t);
  return text;
}

/** How a value shows in the inspector's field. */
export function formatAttribute(value: AttributeValue | undefined): string {
  return value === undefined ? '' : String(value);
}
