/**
 * The plain-text plumbing of the rule-based extractor: sentences → first-person clauses in a normal
 * form the rule table can match with anchored patterns, and the way back to third-person memory text.
 *
 * Normal form: straight quotes, contractions expanded ("I'm" → "I am", "don't" → "do not"), no leading
 * fillers ("Actually, so, btw …"), no softening adverbs after the subject ("I just started" → "I
 * started"), no trailing "now / anymore / too", no final punctuation. Clauses are cut only where a new
 * first-person statement starts (", and I …", ", my …"), so "peanuts, shellfish and eggs" stays whole.
 */

import { alternatives } from './vocabulary.js';

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bi['’]m\b/gi, 'I am'],
  [/\bim\b(?= )/gi, 'I am'],
  [/\bi['’]ve\b/gi, 'I have'],
  [/\bi['’]ll\b/gi, 'I will'],
  [/\bi['’]d\b/gi, 'I would'],
  [/\bcan['’]t\b/gi, 'cannot'],
  [/\bcan not\b/gi, 'cannot'],
  [/\bwon['’]t\b/gi, 'will not'],
  [/\b(do|does|did|is|are|was|were|have|has|had|could|would|should)n['’]t\b/gi, '$1 not'],
  [/\b(it|that|he|she|there)['’]s\b/gi, '$1 is'],
  [/\bi\b/g, 'I'],
];

const LEADING_FILLER = new RegExp(
  `^(?:(?:${alternatives([
    'and', 'but', 'so', 'also', 'oh', 'well', 'actually', 'btw', 'by the way', 'anyway', 'anyways', 'now', 'plus',
    'fyi', 'ok', 'okay', 'yeah', 'yes', 'yep', 'no', 'hey', 'hi', 'hello', 'update', 'just so you know', 'fun fact',
    'for the record', 'guess what', 'news', 'big news', 'good news', 'honestly', 'lol', 'haha', 'sadly', 'luckily',
    'finally',
  ])})\\b[,:!.-]*\\s+)+`,
  'i',
);

/** Softeners dropped after the subject: "I just started" → "I started", "I do not really like" → "I do not like". */
const ADVERBS = alternatives([
  'just', 'recently', 'actually', 'now', 'also', 'really', 'currently', 'still', 'finally', 'officially', 'totally',
  'definitely', 'absolutely', 'honestly', 'kind of', 'sort of', 'truly', 'seriously', 'genuinely', 'already',
  'only', 'mostly', 'mainly', 'usually', 'generally', 'pretty much', 'basically', 'literally',
]);
const AFTER_SUBJECT = new RegExp(`\\b(I(?: am| have| do not| will| would)?) (?:(?:${ADVERBS}) )+`, 'g');

const TRAILING_FILLER = new RegExp(
  `(?:,?\\s+(?:${alternatives([
    'anymore', 'any more', 'these days', 'nowadays', 'now', 'as well', 'too', 'lol', 'haha', 'btw', 'though',
    'by the way', 'at the moment', 'right now', 'for now', 'actually',
  ])}))+$`,
  'i',
);

/** How often, which is not part of what: "I play tennis every weekend" → "I play tennis". */
const FREQUENCY = new RegExp(
  `\\s+(?:(?:every|each) (?:single )?(?:day|night|morning|evening|week|weekend|month|year|summer|winter|` +
    `monday|tuesday|wednesday|thursday|friday|saturday|sunday)|daily|weekly|monthly|on (?:the )?weekends?|` +
    `(?:once|twice|three times) a (?:day|week|month|year)|a lot|all the time|sometimes|often|regularly)$`,
  'i',
);

/** Words that, ending the text before a comma, mean the next "I …" is reported speech, not the user. */
const REPORTING = /\b(?:said|says|say|told (?:me|him|her|them|us)|asked|wrote|writes|thinks|think|thought|replied)$/i;

export interface Sentence {
  text: string;
  question: boolean;
}

const QUESTION_START = /^(?:do|does|did|can|could|would|should|will|is|are|am|what|where|when|why|how|who|which|whose|shall)\b/i;

export function sentences(content: string): Sentence[] {
  return content
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((text) => ({ text, question: /\?["')\]]*$/.test(text) || QUESTION_START.test(text) }));
}

export function expandContractions(text: string): string {
  return CONTRACTIONS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/**
 * Where a new first-person statement starts inside a sentence: "remember that I …", "…, and I …",
 * "…: my …", "… but I …". The lookahead keeps "I" / "my" with the piece it starts.
 */
const STATEMENT_BREAK = new RegExp(
  [
    String.raw`\b(?:remember|note|know|noted|mention|mentioned|forget)\s+(?:that\s+)?(?=(?:I|my)\b)`,
    String.raw`\s*(?:,|;|:|\s[-–—])\s*(?:(?:and|but|so|plus|also)\s+)?(?=(?:I|my)\b)`,
    String.raw`\s+(?:and|but|so|plus)\s+(?=(?:I|my)\b)`,
  ].join('|'),
  'i',
);

/** A sentence cut at each new first-person statement, each piece in normal form. */
export function clauses(sentence: string): string[] {
  const parts = expandContractions(sentence).split(STATEMENT_BREAK);
  const merged: string[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last !== undefined && REPORTING.test(last)) merged[merged.length - 1] = `${last}, ${part}`;
    else merged.push(part);
  }
  return merged.map(normalise).filter((c) => c.length > 0);
}

/**
 * Where a clause's own statement ends and an aside begins: "I love pottery - the skill is awesome",
 * "I'm allergic to peanuts, which is annoying", "I love camping 'cause nature is calm".
 */
const ASIDE = new RegExp(
  [
    String.raw`\s+[-–—]+\s+`,
    String.raw`,\s*(?=(?:it|this|that|which|because|'cause|cause|as|but|though|although|so|plus|especially|like|lol|haha)\b)`,
    String.raw`\s+(?=(?:because|'cause|cause)\b)`,
    String.raw`\s+so\s+(?=(?:it|this|that|they|he|she|we|you|[a-z]+ing)\b)`,
    String.raw`\s+and\s+(?=(?:it|this|that)\s)`,
  ].join('|'),
  'i',
);

export function normalise(clause: string): string {
  let c = clause.trim().replace(/\s+/g, ' ');
  const aside = ASIDE.exec(c);
  if (aside) c = c.slice(0, aside.index);
  c = c.replace(/[.!?;:,\s]+$/u, '').replace(/[\p{Extended_Pictographic}\u200d\ufe0f]+/gu, '').trim();
  c = c.replace(LEADING_FILLER, '');
  c = c.replace(AFTER_SUBJECT, '$1 ');
  c = c.replace(TRAILING_FILLER, '').replace(FREQUENCY, '');
  return c.replace(/[.!?;:,\s]+$/u, '').trim();
}

const PAST_IRREGULAR = new Set([
  'got', 'went', 'became', 'began', 'left', 'quit', 'made', 'took', 'had', 'was', 'were', 'did', 'built', 'bought',
  'sold', 'found', 'met', 'grew', 'ran', 'won', 'lost', 'gave', 'came', 'wrote', 'set', 'put', 'moved', 'started',
]);
const MODALS = new Set(['will', 'would', 'can', 'cannot', 'could', 'should', 'might', 'must', 'may', 'shall', 'used']);

/** "love" → "loves", "watch" → "watches", "study" → "studies"; past tenses and modals unchanged. */
function conjugate(verb: string): string {
  const v = verb.toLowerCase();
  if (v === 'am') return 'is';
  if (v === 'have') return 'has';
  if (v === 'do') return 'does';
  if (v === 'go') return 'goes';
  if (MODALS.has(v) || PAST_IRREGULAR.has(v) || v.endsWith('ed')) return verb;
  if (/(?:s|sh|ch|x|z|o)$/.test(v)) return `${verb}es`;
  if (/[^aeiou]y$/.test(v)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

/** "I am allergic to my cat" → "Is allergic to their cat"; "my sister lives here" → "Their sister lives here". */
export function thirdPerson(clause: string): string {
  let out = clause;
  const subject = /^I (\S+)(.*)$/.exec(out);
  if (subject) out = `${conjugate(subject[1]!)}${subject[2]!}`;
  return capitalise(swapPronouns(out));
}

/** First-person pronouns after the subject, in the third person: "with my wife and me" → "with their wife and them". */
export function swapPronouns(text: string): string {
  return text
    .replace(/\bI am\b/g, 'they are')
    .replace(/\bI\b/g, 'they')
    .replace(/\bmyself\b/gi, 'themselves')
    .replace(/\bmine\b/gi, 'theirs')
    .replace(/\bmy\b/gi, 'their')
    .replace(/\bme\b/gi, 'them')
    .replace(/\bour\b/gi, 'their');
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Trims a captured object: whitespace, trailing punctuation and quotes. */
export function cleanObject(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').replace(/^[\s"'(]+|[\s"'),.!?;:]+$/g, '').trim();
}

/** "a RAG app" → "RAG app", "their coffee" → "coffee": the thing itself, for `entities`. */
export function stripArticle(text: string): string {
  return text.replace(/^(?:a|an|the|my|their|some)\s+/i, '').trim();
}

/** "peanuts, shellfish and eggs" → ["peanuts", "shellfish", "eggs"]. */
export function listItems(text: string): string[] {
  return text
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+/)
    .map((t) => stripArticle(cleanObject(t)))
    .filter((t) => t.length > 0);
}

/** Starts like a proper noun, an acronym or a number: "Google", "the BBC", "3M" (not "a new flat"). */
export function isProper(text: string | undefined): boolean {
  return /^(?:the\s+)?[A-Z0-9]/.test(text ?? '');
}

/** snake_case for predicates: "favourite colour" → "favourite_colour". */
export function snake(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
