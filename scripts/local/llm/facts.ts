/**
 * From one user turn to candidate facts: sentences → first-person clauses → the first rule in the
 * table that matches each clause (rules.ts), with its time phrase resolved against the turn's time.
 * Questions are skipped; anything that is not a first-person statement matches no rule, which is how
 * third-person talk and instructions embedded in a message ("ignore previous instructions …") yield
 * nothing: they are text, never commands.
 */
import { datePreposition, describeDate, findDatePhrase, type DatePhrase, type ResolvedDate } from './dates.js';
import { clauses, sentences, stripArticle, swapPronouns, thirdPerson } from './language.js';
import { RULES, type FactTemplate, type Groups, type Rule } from './rules.js';
import { VAGUE_OBJECT } from './vocabulary.js';

export interface Fact {
  kind: 'fact' | 'preference';
  categories: string[];
  entities: string[];
  predicate: string;
  object: string;
  text: string;
  single: boolean;
  /** The statement ends a memory ("I left Google") instead of stating a new one. */
  negates: boolean;
  /** ISO-8601: when it became true (or, for `negates`, when it stopped). */
  validAt: string;
  turn: number;
}

export interface TurnLike {
  index: number;
  role: string;
  content: string;
  created_at: string;
}

const MAX_OBJECT_CHARS = 120;

export function factsFromTurn(turn: TurnLike, fallbackNow: Date): Fact[] {
  if (turn.role.toLowerCase() !== 'user' || typeof turn.content !== 'string') return [];
  const parsed = Date.parse(turn.created_at);
  const at = Number.isNaN(parsed) ? fallbackNow : new Date(parsed);
  return sentences(turn.content)
    .filter((s) => !s.question)
    .flatMap((s) => withLeadingDates(clauses(s.text)))
    .flatMap((clause) => factsFromClause(clause, at, turn.index));
}

/** "Last week, I built a website" is cut into "Last week" and "I built a website": the date goes along. */
function withLeadingDates(parts: string[]): string[] {
  let carried: string | undefined;
  return parts.map((part) => {
    const own = findDatePhrase(part);
    if (!/^(?:I|my)\b/i.test(part)) {
      carried = own?.phrase;
      return part;
    }
    const out = own || !carried ? part : `${part} ${carried}`;
    carried = undefined;
    return out;
  });
}

export function factsFromClause(clause: string, at: Date, turn: number): Fact[] {
  const phrase = findDatePhrase(clause);
  const withoutDate = phrase ? cutPhrase(clause, phrase) : clause;
  for (const rule of RULES) {
    if (rule.needsDate && !phrase) continue;
    const subject = rule.keepDate ? clause : withoutDate;
    const groups = matchRule(rule, subject);
    if (!groups || (rule.accept && !rule.accept(groups))) continue;
    const date = phrase && !rule.keepDate ? phrase.resolve(at, rule.tense ?? 'past') : undefined;
    const facts = [rule, ...(rule.also ?? [])]
      .map((template) => buildFact(template, groups, { rule, date, at, turn }))
      .filter((f): f is Fact => f !== undefined);
    if (facts.length > 0) return facts;
  }
  return [];
}

function matchRule(rule: Rule, clause: string): Groups | undefined {
  for (const pattern of rule.patterns) {
    const m = pattern.exec(clause);
    if (m) return { ...m.groups, clause };
  }
  return undefined;
}

/** "I moved to Berlin last month" → "I moved to Berlin"; drops a preposition the cut leaves dangling. */
function cutPhrase(clause: string, phrase: DatePhrase): string {
  return clause
    .replace(phrase.phrase, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*,\s*$/, '')
    .replace(/\s+(?:since|from|as of|starting|until|till|by|back|around|about|for|on|in|at)$/i, '')
    .trim();
}

interface BuildContext {
  rule: Rule;
  date: ResolvedDate | undefined;
  at: Date;
  turn: number;
}

function buildFact(template: FactTemplate, g: Groups, { rule, date, at, turn }: BuildContext): Fact | undefined {
  const object = swapPronouns(template.object(g)).trim();
  if (!object || object.length > MAX_OBJECT_CHARS || VAGUE_OBJECT.test(object)) return undefined;
  const base = template.text ? swapPronouns(template.text(g)) : thirdPerson(g.clause ?? '');
  const entities = template.entities ? template.entities(g) : [stripArticle(object)];
  return {
    kind: template.kind ?? 'fact',
    categories: template.categories,
    entities: [...new Set(entities.map((e) => swapPronouns(e)).filter((e) => e.length > 0))],
    predicate: typeof template.predicate === 'function' ? template.predicate(g) : template.predicate,
    object,
    text: date ? withDate(base, date, rule.dateStyle ?? 'event') : base,
    single: template.single ?? false,
    negates: template.negates ?? false,
    validAt: (date?.date ?? at).toISOString(),
    turn,
  };
}

/** "Moved to Berlin in April 2025" (an event) or "Works at Google (since 2019)" (a state). */
function withDate(text: string, date: ResolvedDate, style: 'event' | 'since'): string {
  const when = describeDate(date);
  return style === 'since' ? `${text} (since ${when})` : `${text} ${datePreposition(date.granularity)}${when}`;
}
