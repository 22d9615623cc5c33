/**
 * Engram for the Vercel AI SDK (`ai` ≥ 6 and `zod`, peer dependencies): `import { engramTools,
 * engramContext } from 'engram/ai'`. Thin wrappers over the typed client: each tool is one client call.
 * This module is not reachable from the Worker's entry, so the AI SDK never enters the Worker bundle; it
 * imports the client only as types.
 *
 *   const system = await engramContext(engram, { user_id: 'alice', run_id: 's1' }, userText);
 *   const result = await generateText({ model, system, prompt: userText,
 *     tools: engramTools(engram, { user_id: 'alice', run_id: 's1' }), stopWhen: stepCountIs(5) });
 *
 * The scope is fixed by the app, never chosen by the model: a tool call can only reach the memories of
 * the user, agent or session the app created the tools for.
 */
import { tool } from 'ai';
import * as z from 'zod';
import type { BlockHolder, ContextRequest, Engram, SearchRequest } from '../client';

/** Whose memories: at least one of user_id, agent_id, run_id (as on every Engram call). */
export type EngramScope = Pick<SearchRequest, 'user_id' | 'agent_id' | 'run_id'>;

export interface EngramToolsOptions {
  /** Ingest mode of addMemory: "async" (default) answers at once and extracts in the background. */
  mode?: 'async' | 'sync';
  /**
   * The holder of the core memory blocks updateBlock edits. Defaults to the scope's user_id, else its
   * agent_id; with neither (a run-only scope) there is no updateBlock tool.
   */
  blocks?: BlockHolder;
}

const Kind = z.enum(['fact', 'preference', 'episode']);

/**
 * The memory tools for `generateText` / `streamText` / agents: `searchMemory`, `addMemory`,
 * `getContext` and (when blocks have a holder) `updateBlock`. Errors from Engram are thrown as
 * EngramError, which the AI SDK hands to the model as the tool's error.
 */
export function engramTools(client: Engram, scope: EngramScope, options: EngramToolsOptions = {}) {
  const holder = options.blocks ?? (scope.user_id ? { user_id: scope.user_id } : scope.agent_id ? { agent_id: scope.agent_id } : null);
  const tools = {
    searchMemory: tool({
      description:
        'Search long-term memory about the user: facts, preferences and past conversation episodes. Call it before answering anything that may depend on what the user said before (tastes, allergies, plans, work, people).',
      inputSchema: z.object({
        query: z.string().min(1).max(4000).describe('What to look for, in plain words, e.g. "food allergies".'),
        kinds: z.array(Kind).max(3).optional().describe('Only these kinds of memory; all kinds by default.'),
        top_k: z.number().int().min(1).max(50).optional().describe('How many memories at most (default 10).'),
      }),
      execute: async ({ query, kinds, top_k }) => {
        const { results } = await client.memories.search({ ...scope, query, ...(kinds && { kinds }), ...(top_k && { top_k }) });
        // Only what the model needs to answer and cite: the text, its kind, since when it holds, and the id.
        return {
          memories: results.map((m) => ({ id: m.id, memory: m.memory, kind: m.kind, score: m.score, ...(m.valid_at && { valid_at: m.valid_at }) })),
        };
      },
    }),
    addMemory: tool({
      description:
        'Save something the user said that is worth remembering in later conversations (a fact about them, a preference, a plan). Write it as the user said it or as a short statement about the user. Engram extracts, deduplicates and updates memories from it.',
      inputSchema: z.object({
        text: z.string().min(1).max(32_000).describe('What to remember, e.g. "I am allergic to peanuts".'),
      }),
      execute: async ({ text }) => {
        // Sent as the user's turn: extraction takes durable facts from what the user says.
        const answer = await client.memories.add({ ...scope, messages: [{ role: 'user', content: text }], mode: options.mode ?? 'async' });
        // async: {event_id, status: "queued"}; sync: the finished event with what it added or changed.
        return 'results' in answer && 'event_id' in answer
          ? { status: answer.status, event_id: answer.event_id, memories: answer.results.map((r) => ({ event: r.event, memory: r.memory })) }
          : answer;
      },
    }),
    getContext: tool({
      description:
        'Get everything memory holds for the current question in one text: core memory blocks, relevant facts with the date they became true, and relevant past turns.',
      inputSchema: z.object({
        query: z.string().min(1).max(4000).describe('The question or topic to gather memory for.'),
      }),
      execute: async ({ query }) => ({ context: await engramContext(client, scope, query) }),
    }),
  };
  if (!holder) return tools;
  return {
    ...tools,
    updateBlock: tool({
      description:
        'Edit a core memory block (always shown to you, e.g. "human" about the user or "persona" about yourself): append a line, or replace one exact passage. Keep blocks short; a block has a size limit.',
      inputSchema: z.object({
        label: z.string().regex(/^[a-z0-9_-]{1,64}$/).describe('The block, e.g. "human".'),
        operation: z.enum(['append', 'replace']),
        text: z.string().min(1).describe('append: the text to add. replace: the new text.'),
        old: z.string().min(1).optional().describe('replace only: the exact passage to replace; it must occur exactly once.'),
      }),
      execute: async ({ label, operation, text, old }) => {
        if (operation === 'replace' && !old) throw new Error('replace needs "old": the exact passage to replace');
        const block = operation === 'append' ? await client.blocks.append(label, holder, text) : await client.blocks.replace(label, holder, old!, text);
        return { label: block.label, value: block.value, limit: block.limit };
      },
    }),
  };
}

/**
 * What the model should know before it answers: Engram's ready prompt section (core blocks, relevant
 * facts, relevant past turns) for `query`, to put in `system`. One round trip, no LLM call.
 */
export async function engramContext(
  client: Engram,
  scope: EngramScope,
  query: string,
  options: Pick<ContextRequest, 'top_k' | 'token_budget' | 'kinds' | 'max_messages'> = {},
): Promise<string> {
  const { prompt } = await client.context({ ...scope, query, ...options });
  return prompt;
}
