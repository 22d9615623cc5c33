/**
 * The search context of an episode: who spoke and on which day, indexed in front of the turn's words
 * (MemoryRecord.context) while the memory text stays the words alone. A turn says "I painted a sunset";
 * the question is "What did Melanie paint in July 2023?" — the speaker's name and the day are what
 * connect the two. Pure.
 *
 * The day is the turn's `created_at` in UTC, written out ("8 May 2023"), the way people write dates
 * in questions. The role is not included: "user" and "assistant" would match every question that
 * says "the user".
 */
import type { Turn } from './model';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "8 May 2023" for an epoch-ms time (UTC); undefined outside the dates JavaScript can represent. */
export function dayText(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Caroline (8 May 2023):", "(8 May 2023):" without a speaker name, "Caroline:" without a usable day. */
export function episodeContext(t: Pick<Turn, 'name' | 'created_at'>): string | undefined {
  const name = t.name?.replace(/\s+/g, ' ').trim();
  const day = dayText(t.created_at);
  if (name) return day ? `${name} (${day}):` : `${name}:`;
  return day ? `(${day}):` : undefined;
}
