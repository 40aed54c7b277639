// How a referring phrase becomes RefCOCO's `tokens` and `sent`: lower case,
// words of letters and digits (an apostrophe inside a word kept: "man's"),
// punctuation dropped, `sent` the tokens joined by one space; `raw` is the
// phrase as written. Pure.

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

export function tokenize(phrase: string): string[] {
  return phrase.toLowerCase().match(WORD) ?? [];
}

export interface RefSentence {
  tokens: string[];
  raw: string;
  sent: string;
  sent_id: number;
}

export function refSentence(raw: string, sentId: number): RefSentence {
  const tokens = tokenize(raw);
  return { tokens, raw, sent: tokens.join(' '), sent_id: sentId };
}
