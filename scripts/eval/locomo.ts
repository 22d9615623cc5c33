/**
 * Reading a LoCoMo-format file (a JSON list of conversations; see the dataset's README) into what the
 * retrieval evaluation needs. Pure: no I/O, so the robustness rules are unit-tested
 * (test/unit/eval-locomo.test.ts).
 *
 * The file is hand-made and uneven, so nothing is trusted:
 * - sessions are the `session_<n>` keys holding a non-empty list; a session with only a date key, or
 *   an empty or non-list value, is skipped;
 * - session dates are free text ("1:56 pm on 8 May, 2023"); one that cannot be read is placed a day
 *   after the previous session (or a day before the next), so turns keep their order;
 * - turns without an id or without any text, and repeated ids, are dropped;
 * - evidence ids are repaired where the intent is clear ("D8:6; D9:17" → two ids, "D:11:26" → D11:26,
 *   "D3:5." → D3:5, "D2:3-5" → D2:3..D2:5, "D30:05" → D30:5) and dropped when they name no turn;
 *   a question left without evidence is dropped.
 * Every repair and drop is counted in `Dropped`, and the report prints it.
 */

export interface Turn {
  /** The dataset's `dia_id`, e.g. "D3:12": the message id Engram keeps as the memory's source id. */
  id: string;
  speaker: string;
  /** The turn's words, plus the image caption when the speaker shared a picture. */
  text: string;
  /** Epoch ms: the session's time plus one second per turn, so the order survives. */
  created_at: number;
}

export interface Session {
  index: number;
  created_at: number;
  turns: Turn[];
}

export interface Question {
  question: string;
  category: number;
  evidence: string[];
}

export interface Conversation {
  id: string;
  sessions: Session[];
  /** Category 5 (adversarial: no true answer) is left out here. */
  questions: Question[];
}

export interface Dropped {
  conversations_malformed: number;
  sessions_without_turns: number;
  session_dates_unreadable: number;
  turns_malformed: number;
  turns_duplicate_id: number;
  questions_malformed: number;
  questions_adversarial: number;
  questions_without_evidence: number;
  evidence_repaired: number;
  evidence_dropped: number;
}

export const emptyDropped = (): Dropped => ({
  conversations_malformed: 0, sessions_without_turns: 0, session_dates_unreadable: 0, turns_malformed: 0, turns_duplicate_id: 0,
  questions_malformed: 0, questions_adversarial: 0, questions_without_evidence: 0, evidence_repaired: 0, evidence_dropped: 0,
});

const ADVERSARIAL = 5;
const DAY = 86_400_000;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function month(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i === -1 ? undefined : i;
}

/**
 * A session date as epoch ms (read as UTC), or undefined. Reads "1:56 pm on 8 May, 2023",
 * "8 May 2023", "May 8, 2023, 10:00 am", and anything Date.parse takes (ISO-8601).
 */
export function parseSessionDate(text: string): number | undefined {
  const s = text.trim();
  if (!s) return undefined;
  const time = /(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?/i.exec(s) ?? /\b(\d{1,2}):(\d{2})\b/.exec(s);
  const dayFirst = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,})\.?,?\s+(\d{4})\b/.exec(s);
  const monthFirst = /\b([A-Za-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(s);
  const dm = dayFirst && month(dayFirst[2]!) !== undefined ? { d: +dayFirst[1]!, m: month(dayFirst[2]!)!, y: +dayFirst[3]! } : undefined;
  const md = !dm && monthFirst && month(monthFirst[1]!) !== undefined ? { d: +monthFirst[2]!, m: month(monthFirst[1]!)!, y: +monthFirst[3]! } : undefined;
  const date = dm ?? md;
  if (!date) {
    const parsed = Date.parse(s);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  let hours = 0;
  let minutes = 0;
  if (time) {
    hours = Number(time[1]) % 24;
    minutes = Number(time[2] ?? 0);
    const half = time[3]?.toLowerCase();
    if (half) hours = (hours % 12) + (half === 'p' ? 12 : 0);
  }
  if (date.d < 1 || date.d > 31 || minutes > 59) return undefined;
  const ms = Date.UTC(date.y, date.m, date.d, hours, minutes);
  return new Date(ms).getUTCDate() === date.d ? ms : undefined;
}

function turnOf(raw: unknown, at: number): Turn | undefined {
  if (!isObj(raw)) return undefined;
  const id = str(raw.dia_id)?.trim();
  const words = str(raw.text)?.trim() ?? '';
  const caption = str(raw.blip_caption)?.trim();
  const text = [words, caption ? `[image: ${caption}]` : ''].filter(Boolean).join(' ');
  if (!id || id.length > 128 || !text) return undefined;
  return { id, speaker: str(raw.speaker)?.trim() || 'unknown', text: text.slice(0, 32_000), created_at: at };
}

/** Session dates in order, unreadable ones placed a day after the previous (or before the next) one. */
function fillDates(dates: Array<number | undefined>): number[] {
  const firstKnown = dates.find((d) => d !== undefined);
  const out: number[] = [];
  dates.forEach((d, i) => {
    if (d !== undefined) out.push(d);
    else if (i > 0) out.push(out[i - 1]! + DAY);
    else out.push((firstKnown ?? Date.UTC(2000, 0, 1) + DAY) - DAY);
  });
  return out;
}

function sessionsOf(conv: Obj, dropped: Dropped): Session[] {
  // A session is named by its list or by its date key alone (the dataset has dates of sessions that hold nothing).
  const named = new Set<number>();
  for (const key of Object.keys(conv)) {
    const m = /^session_(\d+)(?:_date_time)?$/.exec(key);
    if (m) named.add(Number(m[1]));
  }
  const keyed: Array<{ index: number; raw: unknown[] }> = [];
  for (const index of named) {
    const value = conv[`session_${index}`];
    if (Array.isArray(value) && value.length > 0) keyed.push({ index, raw: value });
    else dropped.sessions_without_turns++;
  }
  keyed.sort((a, b) => a.index - b.index);
  const parsed = keyed.map((s) => parseSessionDate(str(conv[`session_${s.index}_date_time`]) ?? ''));
  dropped.session_dates_unreadable += parsed.filter((d) => d === undefined).length;
  const dates = fillDates(parsed);
  const seen = new Set<string>();
  return keyed.map((s, i) => {
    const turns: Turn[] = [];
    s.raw.forEach((raw, j) => {
      const turn = turnOf(raw, dates[i]! + j * 1000);
      if (!turn) dropped.turns_malformed++;
      else if (seen.has(turn.id)) dropped.turns_duplicate_id++;
      else {
        seen.add(turn.id);
        turns.push(turn);
      }
    });
    return { index: s.index, created_at: dates[i]!, turns };
  }).filter((s) => s.turns.length > 0);
}

/** One evidence entry → the ids it means (before checking that they exist). */
function evidenceIds(entry: string): string[] {
  const out: string[] = [];
  for (const part of entry.split(/[;,\s]+/).filter(Boolean)) {
    const range = /^D:?(\d+):0*(\d+)\s*-\s*(?:D:?\1:)?0*(\d+)\.?$/i.exec(part);
    if (range) {
      const [from, to] = [Number(range[2]), Number(range[3])];
      for (let n = from; n <= Math.min(to, from + 50); n++) out.push(`D${range[1]}:${n}`);
      continue;
    }
    const one = /^D:?0*(\d+):0*(\d+)\.?$/i.exec(part);
    out.push(one ? `D${one[1]}:${one[2]}` : part);
  }
  return out;
}

/** Evidence as turn ids of this conversation; repairs and drops are counted. */
export function normaliseEvidence(raw: unknown, known: Set<string>, dropped: Dropped): string[] {
  const out = new Set<string>();
  for (const entry of Array.isArray(raw) ? raw : []) {
    const text = str(entry)?.trim();
    if (!text) {
      dropped.evidence_dropped++;
      continue;
    }
    if (known.has(text)) {
      out.add(text);
      continue;
    }
    const ids = evidenceIds(text);
    const valid = ids.filter((id) => known.has(id));
    if (valid.length > 0) dropped.evidence_repaired++;
    dropped.evidence_dropped += ids.length - valid.length;
    for (const id of valid) out.add(id);
  }
  return [...out];
}

function questionsOf(qa: unknown, known: Set<string>, dropped: Dropped): Question[] {
  const out: Question[] = [];
  for (const raw of Array.isArray(qa) ? qa : []) {
    const question = isObj(raw) ? str(raw.question)?.trim() : undefined;
    const category = isObj(raw) ? Number(raw.category) : NaN;
    if (!question || !Number.isInteger(category)) {
      dropped.questions_malformed++;
      continue;
    }
    if (category === ADVERSARIAL) {
      dropped.questions_adversarial++;
      continue;
    }
    const evidence = normaliseEvidence((raw as Obj).evidence, known, dropped);
    if (evidence.length === 0) {
      dropped.questions_without_evidence++;
      continue;
    }
    out.push({ question: question.slice(0, 4000), category, evidence });
  }
  return out;
}

/**
 * Parses the file's JSON value, up to `limit` usable conversations (the counts in `dropped` cover only
 * what was read). Throws only when it is not a list at all.
 */
export function parseLocomo(raw: unknown, limit = Infinity): { conversations: Conversation[]; dropped: Dropped } {
  if (!Array.isArray(raw)) throw new Error('not a LoCoMo file: expected a JSON list of conversations');
  const dropped = emptyDropped();
  const conversations: Conversation[] = [];
  for (let i = 0; i < raw.length && conversations.length < limit; i++) {
    const c: unknown = raw[i];
    const sessions = isObj(c) && isObj(c.conversation) ? sessionsOf(c.conversation, dropped) : [];
    if (!isObj(c) || sessions.length === 0) {
      dropped.conversations_malformed++;
      continue;
    }
    const known = new Set(sessions.flatMap((s) => s.turns.map((t) => t.id)));
    conversations.push({ id: str(c.sample_id)?.trim() || `conversation-${i + 1}`, sessions, questions: questionsOf(c.qa, known, dropped) });
  }
  return { conversations, dropped };
}
