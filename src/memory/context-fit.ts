/**
 * The pure half of the context call: drop memories that only repeat a buffered turn, fit blocks,
 * memories and turns into the token budget, and render the system-prompt section. No I/O, no clock:
 * the same input always gives the same output (the prompt is meant to be cached by model providers).
 *
 * Budget order: blocks first (the agent's core memory, in their given order), then memories in rank
 * order, then turns newest first (returned oldest first). An item that does not fit is skipped and
 * counted, and smaller later items may still fit — a long block never starves every memory.
 */
import { normaliseText } from './ids';
import type { MemoryRecord, Turn } from './model';
import type { Estimator } from './tokens';

export interface PromptBlock {
  label: string;
  value: string;
  description?: string;
}

export interface FitInput<B extends PromptBlock, M extends { record: MemoryRecord }> {
  blocks: B[];
  /** Best first. */
  memories: M[];
  /** Oldest first, as the buffer holds them. */
  turns: Turn[];
  budget: number;
  estimate: Estimator;
}

export interface Fitted<B, M> {
  blocks: B[];
  memories: M[];
  turns: Turn[];
  tokens: { blocks: number; memories: number; messages: number; total: number; budget: number };
  dropped: { blocks: number; memories: number; messages: number };
}

/** Chat formats add a few tokens per message (role, separators). */
const PER_MESSAGE_OVERHEAD = 4;
const SECTION_TITLES = { blocks: '## Core memory', facts: '## Known facts (valid from)', episodes: '## Relevant past conversation' };

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const blockText = (b: PromptBlock) => `### ${b.label}${b.description ? ` (${b.description})` : ''}\n${b.value}`;

export function memoryLine(r: MemoryRecord): string {
  if (r.kind !== 'episode') return `- ${day(r.valid_at)}: ${r.text}`;
  const speaker = typeof r.metadata.name === 'string' ? r.metadata.name : typeof r.metadata.role === 'string' ? r.metadata.role : 'someone';
  return `- ${day(r.valid_at)} ${speaker}: ${r.text}`;
}

const turnText = (t: Turn) => `${t.name ?? t.role}: ${t.content}`;

/** An episode whose turn is still in the buffer, or any memory whose text is a buffered turn verbatim. */
export function dropRepeats<M extends { record: MemoryRecord }>(memories: M[], turns: Turn[]): M[] {
  const ids = new Set(turns.map((t) => t.id));
  const texts = new Set(turns.map((t) => normaliseText(t.content)));
  return memories.filter(({ record: r }) => !(r.kind === 'episode' && r.source_ids.some((id) => ids.has(id))) && !texts.has(normaliseText(r.text)));
}

export function fitContext<B extends PromptBlock, M extends { record: MemoryRecord }>(input: FitInput<B, M>): Fitted<B, M> {
  const { estimate } = input;
  let left = input.budget;
  const take = <T>(items: T[], cost: (item: T) => number, sectionCost: (chosen: T[], item: T) => number) => {
    const chosen: T[] = [];
    let spent = 0;
    for (const item of items) {
      const c = cost(item) + sectionCost(chosen, item);
      if (c <= left) {
        chosen.push(item);
        left -= c;
        spent += c;
      }
    }
    return { chosen, spent };
  };

  const title = (t: string) => estimate(t) + 1;
  const blocks = take(input.blocks, (b) => estimate(blockText(b)) + 1, (chosen) => (chosen.length === 0 ? title(SECTION_TITLES.blocks) : 0));
  const facts = (m: M) => m.record.kind !== 'episode';
  const memories = take(input.memories, (m) => estimate(memoryLine(m.record)) + 1, (chosen, m) =>
    chosen.some((c) => facts(c) === facts(m)) ? 0 : title(facts(m) ? SECTION_TITLES.facts : SECTION_TITLES.episodes));
  const newestFirst = [...input.turns].reverse();
  const turns = take(newestFirst, (t) => estimate(turnText(t)) + PER_MESSAGE_OVERHEAD, () => 0);

  return {
    blocks: blocks.chosen,
    memories: memories.chosen,
    turns: turns.chosen.reverse(),
    tokens: { blocks: blocks.spent, memories: memories.spent, messages: turns.spent, total: input.budget - left, budget: input.budget },
    dropped: {
      blocks: input.blocks.length - blocks.chosen.length,
      memories: input.memories.length - memories.chosen.length,
      messages: input.turns.length - turns.chosen.length,
    },
  };
}

/** The system-prompt section: blocks, then facts and preferences with their valid-from day, then episodes. */
export function renderPrompt(blocks: PromptBlock[], memories: MemoryRecord[]): string {
  const parts: string[] = [];
  if (blocks.length > 0) parts.push([SECTION_TITLES.blocks, ...blocks.map(blockText)].join('\n'));
  const facts = memories.filter((r) => r.kind !== 'episode');
  const episodes = memories.filter((r) => r.kind === 'episode');
  if (facts.length > 0) parts.push([SECTION_TITLES.facts, ...facts.map(memoryLine)].join('\n'));
  if (episodes.length > 0) parts.push([SECTION_TITLES.episodes, ...episodes.map(memoryLine)].join('\n'));
  return parts.join('\n\n');
}
