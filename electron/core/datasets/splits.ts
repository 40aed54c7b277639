// Train/val/test splits for a grounding export: whole images go to one split
// (RefCOCO splits by image, so no image is seen in training and testing), in
// an order shuffled by a seeded generator, so the same project, fractions and
// seed always give the same splits. Pure.

export interface SplitShare {
  name: string;
  fraction: number;
}

export const DEFAULT_SPLITS: readonly SplitShare[] = [
  { name: 'train', fraction: 0.8 },
  { name: 'val', fraction: 0.1 },
  { name: 'test', fraction: 0.1 },
];

/** The text parseSplits reads back as the same shares (the export dialog's starting value). */
export function formatSplits(shares: readonly SplitShare[]): string {
  return shares.map((share) => `${share.name}=${share.fraction}`).join(',');
}

/** Parses "train=0.8,val=0.1,test=0.1" (fractions or weights; scaled to sum 1). Throws one line on a bad list. */
export function parseSplits(text: string): SplitShare[] {
  const shares = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^([A-Za-z][\w-]*)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!match) throw new Error(`--splits: '${part}' is not name=fraction (e.g. train=0.8,val=0.1,test=0.1)`);
    return { name: match[1]!, fraction: Number(match[2]) };
  });
  if (shares.length === 0) throw new Error('--splits: no split given (e.g. train=0.8,val=0.1,test=0.1)');
  const names = new Set<string>();
  for (const share of shares) {
    if (names.has(share.name)) throw new Error(`--splits: '${share.name}' is named twice`);
    names.add(share.name);
  }
  const sum = shares.reduce((total, share) => total + share.fraction, 0);
  if (!(sum > 0)) throw new Error('--splits: the fractions add up to 0');
  return shares.map((share) => ({ name: share.name, fraction: share.fraction / sum }));
}

/** mulberry32: a small seeded generator, the same numbers on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The split of each image id: ids shuffled with `seed` (Fisher-Yates), then
 * cut by cumulative fraction (rounded, the last split taking the rest).
 */
export function assignSplits(imageIds: readonly number[], shares: readonly SplitShare[], seed: number): Map<number, string> {
  const order = [...imageIds].sort((a, b) => a - b);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Map<number, string>();
  let start = 0;
  let cumulative = 0;
  shares.forEach((share, index) => {
    cumulative += share.fraction;
    const end = index === shares.length - 1 ? order.length : Math.round(cumulative * order.length);
    for (let i = start; i < end; i++) out.set(order[i]!, share.name);
    start = Math.max(start, end);
  });
  return out;
}
