// COCO mapping and validation, pure (shared with the renderer if it ever needs it).
export * from './types';
export { CocoFormatError, describeValue } from './errors';
export { parseJsonWithPosition, jsonErrorOffset, lineColumn } from './json-position';
export { buildCocoDocument, boxToCoco, cocoToBox, roundCoord, layoutCoco, COCO_INFO, type CocoLayout, type ExportImage, type ExportInput } from './to-coco';
export { serializeCoco, recordLines, cocoText } from './serialize';
export { cocoTextFromRows, type CocoRowsInput, type CocoRowsText } from './rows-to-coco';
export { validateCocoStructure } from './validate';
export { COCO_LIMITS } from './limits';
export { planImport, type ImportPlan } from './plan-import';
