// The pure EGM engine core: prompts, answer parsing, coordinate mapping,
// scoring and self-consistency fusion. No Node or Electron APIs (renderer-safe).
export * from './prompt';
export * from './parse-answer';
export * from './coordinates';
export * from './iou';
export * from './fuse';
