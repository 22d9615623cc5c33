/**
 * The local text model: what the Vector REST stand-in uses for its `*-data` endpoints (and the LLM
 * stand-in for `/v1/embeddings`). No network, no weights, fully deterministic.
 *
 *   tokenize(text)            lowercase, accent-folded, Unicode word split, stopwords out, Porter stems
 *   embedDense(text, dim)     feature-hashed vector: stems and character 4-grams, sublinear tf, a
 *                             corpus-free word weight, signed hashing, L2-normalised; optionally an
 *                             asymmetric document/query pair with idf-weighted queries (DenseOptions)
 *   new Bm25()                the sparse side, one per namespace: term ids are hashed stems, documents
 *                             are term counts plus a length, and the class keeps the document
 *                             frequencies and lengths that BM25's idf and length normalisation need
 *
 * It is a stand-in for Upstash's hosted models (BGE dense, BM25 sparse), not a replica: the vectors
 * differ, the behaviour (similar text scores higher, rare shared words matter most) is the same.
 */
import { stem } from './stem.js';

// A compact English stopword list: function words, plus contractions as chat often writes them, without
// the apostrophe ("dont", "im") — but not those that spell a content word ("shell", "ill", "wed").
// Content words are never listed here: idf handles them.
const STOPWORDS = new Set(
  `a about above after again against all am an and any are arent as at be because been before being below
  between both but by can cant cannot could couldnt did didnt do does doesnt doing dont down during each few
  for from further had hadnt has hasnt have havent having he hed hes her here heres hers herself him
  himself his how hows i im ive if in into is isnt it its itself lets me more most mustnt my myself
  no nor not of off on once only or other ought our ours ourselves out over own same shant she
  shes should shouldnt so some such than that thats the their theirs them themselves then there theres
  these they theyd theyll theyre theyve this those through to too under until up very was wasnt we
  were weve werent what whats when whens where wheres which while who whos whom why whys will with
  wont would wouldnt you youd youll youre youve your yours yourself yourselves also just`.split(/\s+/),
);

// A word: letters or digits, possibly joined by apostrophes (it's, o'clock) — split on everything else.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const MARKS = /\p{M}+/gu;

const IRREGULAR_NEGATIONS: Record<string, string> = { "can't": 'can', "won't": 'will', "shan't": 'shall' };

/**
 * A word without its clitic: "Caroline's" → "caroline", "she'll" → "she", "don't" → "do", "can't" →
 * "can"; any other apostrophe is dropped ("o'clock" → "oclock").
 */
function stripClitic(word: string): string {
  const w = word.replace(/’/g, "'");
  return IRREGULAR_NEGATIONS[w] ?? w.replace(/n't$/, '').replace(/'(s|ll|d|re|ve|m)$/, '').replace(/'/g, '');
}

/** The lowercase, accent-folded words of `text`, clitics removed (see stripClitic). */
export function words(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const m of folded.matchAll(WORD)) out.push(m[0].includes("'") || m[0].includes('’') ? stripClitic(m[0]) : m[0]);
  return out;
}

function isContentWord(w: string): boolean {
  return !STOPWORDS.has(w) && (w.length > 1 || (w >= '0' && w <= '9'));
}

/** The index terms of `text`: content words, Porter-stemmed, in text order (repeats kept). */
export function tokenize(text: string): string[] {
  return words(text).filter(isContentWord).map(stem);
}

/** FNV-1a over UTF-16 units with a murmur3 finaliser, so that `h % n` spreads evenly. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The sparse dimension of a term: a stable non-negative 31-bit integer. */
export function termId(term: string): number {
  return hash32(term) & 0x7fffffff;
}

// ---------------------------------------------------------------------------------------------------
// Dense side

/**
 * Weights of the feature kinds in a dense vector (before normalisation): a stem, and the character
 * n-grams (of `gram` characters) of its word, sharing `chars` between them. `pivot` is the document
 * constant of DenseOptions, about the feature norm of a 60-word text: shorter memories are barely
 * length-normalised against one another, much longer ones still are.
 */
const DENSE = { word: 1, chars: 2, gram: 4, pivot: 8 } as const;

export interface DenseOptions {
  /**
   * `symmetric` (default): one embedding for documents and queries alike, e.g. behind /v1/embeddings.
   * `document` / `query`: an asymmetric pair for an index that embeds both sides itself. Component 0 is
   * then reserved: documents put a constant there, queries leave it 0. Under cosine similarity that
   * constant softens the length normalisation (as the pivot in pivoted document-length normalisation,
   * or b < 1 in BM25 does): a long turn is no longer scored down as hard as plain cosine would.
   */
  role?: 'symmetric' | 'document' | 'query';
  /** Extra weight per stem, e.g. idf from the index's statistics (queries only; documents stay corpus-free). */
  termWeight?: (stem: string) => number;
}

/**
 * A corpus-free stand-in for idf: longer words are rarer (Zipf's law of abbreviation), so a word's
 * weight grows with its length, from 0.5 for 2 letters to 1 at 8 and more. Numbers count as rare.
 */
function wordWeight(word: string): number {
  if (/^\d+$/.test(word)) return 1;
  return Math.min(1, 0.5 + Math.max(0, word.length - 2) / 12);
}

function countInto(counts: Map<string, number>, key: string, weight: number): void {
  counts.set(key, (counts.get(key) ?? 0) + weight);
}

/**
 * The weighted features of a text: each stem, and the character 4-grams of each content word (these
 * match across inflections the stemmer misses and across typos — "fesetival" shares "<fes", "tiva",
 * "ival" and "val>" with "festival"). Stem bigrams were tried and did not help retrieval.
 */
function denseFeatures(text: string, termWeight?: (stem: string) => number): Map<string, number> {
  const content = words(text).filter(isContentWord);
  const stems = content.map(stem);
  const counts = new Map<string, number>();
  stems.forEach((s, i) => {
    const w = wordWeight(content[i]!) * (termWeight ? termWeight(s) : 1);
    countInto(counts, `w:${s}`, DENSE.word * w);
    const padded = `<${content[i]!}>`;
    const grams = Math.max(1, padded.length - DENSE.gram + 1);
    for (let j = 0; j < grams; j++) countInto(counts, `c:${padded.slice(j, j + DENSE.gram)}`, (DENSE.chars * w) / grams);
  });
  return counts;
}

/**
 * A deterministic dense embedding of `text` with `dimension` components, L2-normalised (all zeros for
 * a symmetric or query embedding of text with no content words). Features are hashed with a sign bit,
 * so colliding features cancel on average instead of piling up; repeats are damped with 1 + ln(tf).
 */
export function embedDense(text: string, dimension: number, opts: DenseOptions = {}): Float32Array {
  const role = opts.role ?? 'symmetric';
  const reserved = role === 'symmetric' || dimension < 2 ? 0 : 1;
  const slots = dimension - reserved;
  const acc = new Float64Array(dimension);
  for (const [feature, weight] of denseFeatures(text, opts.termWeight)) {
    const h = hash32(feature, 0x9747b28c);
    const v = weight > 1 ? 1 + Math.log(weight) : weight;
    acc[reserved + (h % slots)]! += h & 0x80000000 ? -v : v;
  }
  if (role === 'document' && reserved) acc[0] = DENSE.pivot;
  let norm = 0;
  for (let i = 0; i < dimension; i++) norm += acc[i]! * acc[i]!;
  const out = new Float32Array(dimension);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimension; i++) out[i] = acc[i]! * inv;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Sparse side (BM25)

/** A text's sparse form: distinct term ids (ascending), their counts, and the text's length in terms. */
export interface TermCounts {
  indices: number[];
  values: number[];
  length: number;
}

export interface Bm25Params {
  /** Term-frequency saturation: how quickly repeats stop adding score. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

/**
 * BM25 over one namespace's text-derived records. Documents are stored as raw term counts plus their
 * length, and weighted at query time with the namespace's current document frequencies and average
 * length — so early documents are not stuck with the statistics of a near-empty index.
 * The caller keeps `add`/`remove` in step with its records (upsert, overwrite, delete, reset).
 */
export class Bm25 {
  private readonly df = new Map<number, number>();
  private docs = 0;
  private totalLength = 0;

  /**
   * k1 = 0.9, b = 0.4: the defaults of Anserini/Pyserini, tuned there on passage collections. Memories are
   * short and their length varies for reasons unrelated to topic (a chat turn, a one-line fact), so a
   * weaker length normalisation than the textbook b = 0.75 suits them.
   */
  constructor(readonly params: Bm25Params = { k1: 0.9, b: 0.4 }) {}

  get documentCount(): number {
    return this.docs;
  }

  /** The term counts of `text`, for a document or a query alike. */
  sparse(text: string): TermCounts {
    const counts = new Map<number, number>();
    const terms = tokenize(text);
    for (const t of terms) {
      const id = termId(t);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const indices = [...counts.keys()].sort((a, b) => a - b);
    return { indices, values: indices.map((i) => counts.get(i)!), length: terms.length };
  }

  add(doc: TermCounts): void {
    for (const i of doc.indices) this.df.set(i, (this.df.get(i) ?? 0) + 1);
    this.docs += 1;
    this.totalLength += doc.length;
  }

  remove(doc: TermCounts): void {
    for (const i of doc.indices) {
      const n = (this.df.get(i) ?? 0) - 1;
      if (n > 0) this.df.set(i, n);
      else this.df.delete(i);
    }
    this.docs = Math.max(0, this.docs - 1);
    this.totalLength = Math.max(0, this.totalLength - doc.length);
  }

  /** ln((N − n + 0.5)/(n + 0.5) + 1): the same formula as Upstash's IDF weighting strategy. */
  idf(term: number): number {
    const n = this.df.get(term) ?? 0;
    return Math.log((this.docs - n + 0.5) / (n + 0.5) + 1);
  }

  /** The saturated, length-normalised weight of a term seen `tf` times in a document of `length` terms. */
  termWeight(tf: number, length: number): number {
    const { k1, b } = this.params;
    const avg = this.docs > 0 ? this.totalLength / this.docs : length || 1;
    return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / (avg || 1)));
  }

  /** The BM25 score of a stored document for a query (both as returned by `sparse`). */
  score(query: TermCounts, doc: TermCounts): number {
    let s = 0;
    let j = 0;
    for (let i = 0; i < query.indices.length; i++) {
      const term = query.indices[i]!;
      while (j < doc.indices.length && doc.indices[j]! < term) j++;
      if (doc.indices[j] === term) s += query.values[i]! * this.idf(term) * this.termWeight(doc.values[j]!, doc.length);
    }
    return s;
  }
}
