/**
 * A token estimate for fitting the context budget, without shipping a BPE vocabulary in the Worker.
 *
 * Modern BPE vocabularies (cl100k, o200k) give most English words of up to ~9 letters one token, and
 * longer words one more per ~4 letters; a contraction suffix ('s, 're …), a group of up to three
 * digits and a short run of punctuation are a token each. Calibrated on ~2,700 conversational turns:
 * over 20-turn chunks the estimate is within 6% of cl100k and 10% of o200k (the test corpus in
 * test/unit/tokens.test.ts checks ±10% against cl100k on other English prose). Outside ASCII the estimate
 * leans high where the heuristic knows least: one token per accented or Cyrillic letter, 1.25 per CJK
 * character, 1.5 per UTF-16 half of an emoji, so the budget errs on the safe side.
 */

const PIECE = /'(?:s|t|re|ve|m|ll|d)\b|[A-Za-z]+|\d{1,3}|[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]+|[^\x00-\x7F]/gi;
const ONE_TOKEN_LETTERS = 9;
const LETTERS_PER_EXTRA_TOKEN = 4;
const PUNCT_PER_TOKEN = 3;

export function estimateTokens(text: string): number {
  let n = 0;
  let wide = 0;
  for (const m of text.matchAll(PIECE)) {
    const piece = m[0];
    const c = piece.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      n += piece.length <= ONE_TOKEN_LETTERS ? 1 : 1 + Math.ceil((piece.length - ONE_TOKEN_LETTERS) / LETTERS_PER_EXTRA_TOKEN);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      wide += 1.5;
    } else if (c >= 0x2e80) {
      wide += 1.25;
    } else if (c > 127 || c === 39 /* ' */ || (c >= 48 && c <= 57)) {
      n += 1;
    } else {
      n += Math.ceil(piece.length / PUNCT_PER_TOKEN);
    }
  }
  return n + Math.ceil(wide);
}

export type Estimator = (text: string) => number;
