/**
 * The context budget's token estimate against a real BPE tokenizer (cl100k, the vocabulary most
 * OpenAI-compatible chat models share a shape with) on English of several registers.
 */
import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/memory/tokens';

const ENGLISH = [
  "Hey, how was your weekend? I finally went hiking with my sister up near the lake, and it was great — we didn't see anyone else for hours.",
  "I'm allergic to peanuts, so please don't suggest anything with peanut butter. Cashews are fine though, and I love dark chocolate.",
  'The quarterly report shows revenue of $4.2 million, up 18% from last year, while operating expenses remained roughly flat at $3.1 million.',
  'To configure the service, set the environment variables listed in the documentation, then restart the worker and verify the health endpoint responds.',
  'She moved from Berlin to Lisbon in March 2024, after accepting a position as a senior engineer at a small startup building developer tools.',
  "We talked about the kids' school play, the new puppy that keeps chewing shoes, and whether we should repaint the kitchen before summer.",
  'Photosynthesis converts light energy into chemical energy, producing glucose and oxygen from carbon dioxide and water within the chloroplasts of plant cells.',
  "Can you remind me what time my dentist appointment is on Thursday? I think it's at 3:30 but I'm not completely sure anymore.",
  'The committee reviewed approximately twenty-seven proposals, ultimately recommending three for immediate funding and deferring the remainder until next year.',
  "Honestly, I prefer Python over JavaScript for data work, but I'm building a retrieval-augmented generation app in TypeScript right now.",
];

describe('estimateTokens', () => {
  const enc = getEncoding('cl100k_base');

  it('is within 10% of cl100k over a mixed English corpus', () => {
    const text = ENGLISH.join('\n');
    const real = enc.encode(text).length;
    expect(Math.abs(estimateTokens(text) - real) / real).toBeLessThanOrEqual(0.1);
  });

  it('is within 20% on every single sentence', () => {
    for (const s of ENGLISH) {
      const real = enc.encode(s).length;
      expect(Math.abs(estimateTokens(s) - real) / real, s).toBeLessThanOrEqual(0.2);
    }
  });

  it('counts nothing for empty text and grows with long words, digits and symbols', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('   \n ')).toBe(0);
    expect(estimateTokens('cat')).toBe(1);
    expect(estimateTokens('internationalization')).toBeGreaterThan(2);
    expect(estimateTokens('123456789')).toBe(3);
    expect(estimateTokens("it's")).toBe(2);
  });

  it('never underestimates text outside ASCII', () => {
    for (const s of ['東京で寿司を食べました', '我今天去了北京的博物馆看展览', 'Привет, как дела?', 'naïve café 🍣🍣🎉']) {
      expect(estimateTokens(s)).toBeGreaterThanOrEqual(enc.encode(s).length * 0.9);
    }
  });
});
