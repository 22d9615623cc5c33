/**
 * Relative-date resolution for the rule-based extractor: finds a time phrase in a clause ("last month",
 * "next week", "yesterday", "in 2019", "on March 3", "3 days ago", "next Friday") and resolves it
 * against the turn's `created_at`. Everything is in UTC and resolves to the START of the period the
 * phrase names ("last month" on 2 May → 1 April; "in 2019" → 2019-01-01; "next week" → its Monday).
 *
 * A phrase is found first and resolved later, because its direction depends on the rule that matches
 * the rest of the clause: "on Friday" is the coming Friday for a plan and the past one for a fact.
 */

export type Tense = 'past' | 'future';
export type Granularity = 'day' | 'week' | 'month' | 'year';

export interface ResolvedDate {
  date: Date;
  granularity: Granularity;
}

export interface DatePhrase {
  /** The text matched, as written, so the caller can cut it out of the clause. */
  phrase: string;
  resolve(now: Date, tense: Tense): ResolvedDate;
}

const DAY_MS = 86_400_000;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_NAMES = MONTHS.map((m) => m.charAt(0).toUpperCase() + m.slice(1));
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const COUNTS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, 'a couple of': 2, 'a few': 3, several: 3,
};
const COUNT = `(\\d+|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const MONTH = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)`;
const WEEKDAY = `(${WEEKDAYS.join('|')})`;
const DAY_OF_MONTH = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(?:,? (\\d{4}))?';

const utcDay = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m, d));
const startOfDay = (now: Date): Date => utcDay(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * DAY_MS);
const day = (date: Date): ResolvedDate => ({ date, granularity: 'day' });
const monthStart = (now: Date, delta: number): ResolvedDate => ({
  date: utcDay(now.getUTCFullYear(), now.getUTCMonth() + delta, 1),
  granularity: 'month',
});
const yearStart = (year: number): ResolvedDate => ({ date: utcDay(year, 0, 1), granularity: 'year' });

/** Monday of the week containing `now`, moved by `weeks`. */
function weekStart(now: Date, weeks: number): Date {
  const today = startOfDay(now);
  const sinceMonday = (today.getUTCDay() + 6) % 7;
  return addDays(today, weeks * 7 - sinceMonday);
}

function count(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (COUNTS[word.toLowerCase()] ?? 1);
}

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3)));
}

/** A month (and optional day) with no year: the latest one not after today, or the next one not before. */
function nearestMonthDay(now: Date, month: number, dayOfMonth: number, tense: Tense): Date {
  const today = startOfDay(now);
  const thisYear = utcDay(now.getUTCFullYear(), month, dayOfMonth);
  if (tense === 'past') return thisYear > today ? utcDay(now.getUTCFullYear() - 1, month, dayOfMonth) : thisYear;
  return thisYear < today ? utcDay(now.getUTCFullYear() + 1, month, dayOfMonth) : thisYear;
}

function shift(unitWord: string, n: number, now: Date): ResolvedDate {
  const unit = unitWord.toLowerCase();
  if (unit.startsWith('day')) return day(addDays(startOfDay(now), n));
  if (unit.startsWith('week')) return day(addDays(startOfDay(now), 7 * n));
  if (unit.startsWith('month')) return monthStart(now, n);
  return yearStart(now.getUTCFullYear() + n);
}

function weekday(name: string, whichWord: string, now: Date, tense: Tense): ResolvedDate {
  const which = whichWord.toLowerCase();
  const target = WEEKDAYS.indexOf(name.toLowerCase());
  const today = startOfDay(now);
  const forward = (target - today.getUTCDay() + 7) % 7 || 7;
  const backward = (today.getUTCDay() - target + 7) % 7 || 7;
  const future = which === 'next' || which === 'this' || (which === 'on' && tense === 'future');
  return day(addDays(today, future ? forward : -backward));
}

type Resolver = (m: RegExpExecArray, now: Date, tense: Tense) => ResolvedDate;

/** Most specific first: "the day after tomorrow" before "tomorrow", "March 3, 2024" before "in March". */
const PATTERNS: Array<[RegExp, Resolver]> = [
  [/\bthe day after tomorrow\b/i, (_m, now) => day(addDays(startOfDay(now), 2))],
  [/\bthe day before yesterday\b/i, (_m, now) => day(addDays(startOfDay(now), -2))],
  [/\b(?:yesterday|last night)\b/i, (_m, now) => day(addDays(startOfDay(now), -1))],
  [/\b(?:today|this morning|this afternoon|this evening|tonight)\b/i, (_m, now) => day(startOfDay(now))],
  [/\btomorrow\b/i, (_m, now) => day(addDays(startOfDay(now), 1))],
  [new RegExp(`\\b${COUNT} (day|week|month|year)s? ago\\b`, 'i'), (m, now) => shift(m[2]!, -count(m[1]!), now)],
  [new RegExp(`\\bin ${COUNT} (day|week|month|year)s?(?:' time)?\\b`, 'i'), (m, now) => shift(m[2]!, count(m[1]!), now)],
  [/\b(last|next|this) weekend\b/i, (m, now) => day(addDays(weekStart(now, relative(m[1]!)), 5))],
  [/\b(last|next|this) week\b/i, (m, now) => ({ date: weekStart(now, relative(m[1]!)), granularity: 'week' })],
  [/\b(last|next|this) month\b/i, (m, now) => monthStart(now, relative(m[1]!))],
  [/\b(last|next|this) year\b/i, (m, now) => yearStart(now.getUTCFullYear() + relative(m[1]!))],
  [/\b(\d{4})-(\d{2})-(\d{2})\b/, (m) => day(utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3])))],
  [new RegExp(`\\b(?:on )?${MONTH}\\.? ${DAY_OF_MONTH}${YEAR}\\b`, 'i'), (m, now, tense) => monthDay(m[1]!, m[2]!, m[3], now, tense)],
  [new RegExp(`\\b(?:on )?the ${DAY_OF_MONTH} of ${MONTH}${YEAR}\\b`, 'i'), (m, now, tense) => monthDay(m[2]!, m[1]!, m[3], now, tense)],
  [new RegExp(`\\b(?:back )?in ${MONTH}(?:,? (\\d{4}))?\\b`, 'i'), (m, now, tense) => month(m[1]!, m[2], now, tense)],
  [/\b(?:back in|in|since|during) (\d{4})\b/i, (m) => yearStart(Number(m[1]))],
  [new RegExp(`\\b(last|next|this|on) ${WEEKDAY}\\b`, 'i'), (m, now, tense) => weekday(m[2]!, m[1]!, now, tense)],
];

function relative(word: string): number {
  const w = word.toLowerCase();
  return w === 'last' ? -1 : w === 'next' ? 1 : 0;
}

function monthDay(monthWord: string, dayWord: string, year: string | undefined, now: Date, tense: Tense): ResolvedDate {
  const m = monthIndex(monthWord.toLowerCase());
  const d = Number(dayWord);
  return day(year ? utcDay(Number(year), m, d) : nearestMonthDay(now, m, d, tense));
}

function month(monthWord: string, year: string | undefined, now: Date, tense: Tense): ResolvedDate {
  const m = monthIndex(monthWord.toLowerCase());
  const date = year ? utcDay(Number(year), m, 1) : nearestMonthDay(now, m, 1, tense);
  return { date, granularity: 'month' };
}

/** The first time phrase in `text`, or undefined. */
export function findDatePhrase(text: string): DatePhrase | undefined {
  for (const [pattern, resolver] of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return { phrase: m[0], resolve: (now, tense) => resolver(m, now, tense) };
  }
  return undefined;
}

/** "May 1, 2025" / "the week of May 12, 2025" / "April 2025" / "2019": for memory text. */
export function describeDate({ date, granularity }: ResolvedDate): string {
  const monthName = MONTH_NAMES[date.getUTCMonth()]!;
  const year = date.getUTCFullYear();
  if (granularity === 'year') return `${year}`;
  if (granularity === 'month') return `${monthName} ${year}`;
  const dayText = `${monthName} ${date.getUTCDate()}, ${year}`;
  return granularity === 'week' ? `the week of ${dayText}` : dayText;
}

/** The preposition that reads right before `describeDate`: "on May 1", "in April 2025", "the week of …". */
export function datePreposition(granularity: Granularity): string {
  return granularity === 'day' ? 'on ' : granularity === 'week' ? '' : 'in ';
}
