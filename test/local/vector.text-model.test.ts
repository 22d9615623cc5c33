/**
 * The local text model: Porter stemming, tokenisation, the hashed dense embedding (deterministic,
 * normalised, similar text closer) and the BM25 statistics kept per namespace.
 */
import { describe, expect, it } from 'vitest';
import { stem } from '../../scripts/local/stem.js';
import { Bm25, embedDense, termId, tokenize, words } from '../../scripts/local/text-model.js';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('Porter stemmer', () => {
  it.each([
    ['caresses', 'caress'], ['ponies', 'poni'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'],
    ['plastered', 'plaster'], ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'],
    ['hopping', 'hop'], ['falling', 'fall'], ['filing', 'file'], ['happy', 'happi'], ['sky', 'sky'],
    ['relational', 'relat'], ['conditional', 'condit'], ['digitizer', 'digit'], ['vietnamization', 'vietnam'],
    ['hopefulness', 'hope'], ['sensibiliti', 'sensibl'], ['triplicate', 'triplic'], ['electrical', 'electr'],
    ['goodness', 'good'], ['allowance', 'allow'], ['replacement', 'replac'], ['adoption', 'adopt'],
    ['homologous', 'homolog'], ['effective', 'effect'], ['probate', 'probat'], ['controll', 'control'],
    ['generalizations', 'gener'], ['painting', 'paint'], ['painted', 'paint'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('leaves short, numeric and non-ASCII words alone', () => {
    expect(stem('is')).toBe('is');
    expect(stem('2023')).toBe('2023');
    expect(stem('größe')).toBe('größe');
  });
});

describe('tokenize', () => {
  it('lowercases, folds accents, drops stopwords and possessives, and stems', () => {
    expect(tokenize("Caroline's café: I've been PAINTING sunrises, don't ask!")).toEqual(['carolin', 'cafe', 'paint', 'sunris', 'ask']);
  });

  it('splits on any non-word character, Unicode-aware, keeping numbers', () => {
    expect(words('naïve-bayes 4 years/Σ σ日本')).toEqual(['naive', 'bayes', '4', 'years', 'σ', 'σ日本']);
    expect(tokenize('a I 7 x')).toEqual(['7']);
  });
});

describe('embedDense', () => {
  it('is deterministic and L2-normalised', () => {
    const a = embedDense('Melanie painted a lake sunrise', 384);
    expect(embedDense('Melanie painted a lake sunrise', 384)).toEqual(a);
    expect(cosine(a, a)).toBeCloseTo(1, 5);
    expect(a).toHaveLength(384);
  });

  it('puts related text closer than unrelated text, across inflections and typos', () => {
    const doc = embedDense('We went to the pride festival together last year', 384);
    expect(cosine(doc, embedDense('a pride fesetival', 384))).toBeGreaterThan(cosine(doc, embedDense('green tea in the morning', 384)));
    expect(cosine(embedDense('painting', 384), embedDense('painted', 384))).toBeGreaterThan(0.6);
  });

  it('gives text with no content words the zero vector', () => {
    expect(embedDense('the and of', 16).every((x) => x === 0)).toBe(true);
  });

  it('reserves component 0 for the document/query pair: a constant for documents, 0 for queries', () => {
    const doc = embedDense('green tea', 32, { role: 'document' });
    const query = embedDense('green tea', 32, { role: 'query' });
    expect(doc[0]).toBeGreaterThan(0.5);
    expect(query[0]).toBe(0);
    expect(cosine(doc, query)).toBeGreaterThan(0);
    expect(cosine(doc, query)).toBeLessThan(1);
  });

  it('weights query words by a supplied term weight', () => {
    const doc = embedDense('tea coffee', 256, { role: 'document' });
    const teaHeavy = embedDense('tea coffee', 256, { role: 'query', termWeight: (s) => (s === 'tea' ? 5 : 0.1) });
    const plain = embedDense('tea', 256, { role: 'query' });
    expect(cosine(teaHeavy, plain)).toBeGreaterThan(0.9);
    expect(cosine(doc, teaHeavy)).toBeGreaterThan(0);
  });
});

describe('Bm25', () => {
  it('turns text into sorted distinct term ids with counts and a length', () => {
    const bm = new Bm25();
    const doc = bm.sparse('tea, more tea, and coffee');
    expect(doc.length).toBe(3);
    expect(doc.indices).toEqual([...doc.indices].sort((a, b) => a - b));
    const tea = doc.indices.indexOf(termId('tea'));
    expect(doc.values[tea]).toBe(2);
  });

  it('keeps document frequencies in step with add and remove', () => {
    const bm = new Bm25();
    const a = bm.sparse('green tea');
    const b = bm.sparse('black tea');
    bm.add(a);
    bm.add(b);
    expect(bm.documentCount).toBe(2);
    expect(bm.idf(termId('tea'))).toBeCloseTo(Math.log((2 - 2 + 0.5) / (2 + 0.5) + 1), 10);
    expect(bm.idf(termId('green'))).toBeGreaterThan(bm.idf(termId('tea')));
    bm.remove(b);
    expect(bm.documentCount).toBe(1);
    expect(bm.idf(termId('tea'))).toBeCloseTo(Math.log(0.5 / 1.5 + 1), 10);
  });

  it('scores rare shared terms higher and saturates repeats', () => {
    const bm = new Bm25();
    const docs = ['green tea', 'black tea', 'coffee', 'tea tea tea tea'].map((t) => bm.sparse(t));
    docs.forEach((d) => bm.add(d));
    const q = bm.sparse('green tea');
    const scores = docs.map((d) => bm.score(q, d));
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[2]).toBe(0);
    expect(scores[3]! / scores[1]!).toBeLessThan(2);
    expect(bm.termWeight(1, 2)).toBeGreaterThan(bm.termWeight(1, 20));
  });
});
