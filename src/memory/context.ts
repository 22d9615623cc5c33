/**
 * Context (hot path): "what should the model know now?" in one parallel wave — the session's recent
 * turns and the scope's core memory blocks from Redis (one pipeline, one request) ∥ the Vector query — then the pure fit and render (context-fit.ts). No LLM, no embedding call when
 * the index embeds text itself.
 *
 * Without a `query` the Vector side searches for the last user turn, which only the buffer knows: that
 * case is two sequential round trips (Redis, then Vector). Clients on the hot path pass `query`.
 *
 * Entities: with a `query` (and `graph`, the default), the Redis pipeline also reads the entities the
 * query names (no extra request); their current facts are fused with the vector results by reciprocal
 * rank (rank.ts fuse) before the budget is applied, so "where does Alice work?" brings Alice's facts.
 *
 * A side that fails or passes its deadline does not fail the call: the answer carries what the other
 * side gave and names the missing parts in `degraded` (the route logs them). Both failing is a 503.
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { fitContext, dropRepeats, renderPrompt } from './context-fit';
import { namespace } from './keys';
import { type Kind, type Scope, type Turn, toApiMemory } from './model';
import { type Block, toApiBlock } from './block-model';
import { linkedFacts, queryGraph } from './graph';
import { fuse, rank, type Ranked } from './rank';
import { inScope, readFilter } from './read-filter';
import { estimateTokens } from './tokens';
import type { EntityView } from './graph-model';

export interface ContextInput {
  scope: Scope;
  query?: string;
  max_messages: number;
  top_k: number;
  token_budget: number;
  kinds?: Kind[];
  /** Fuse in the facts of entities the query names (default true). */
  graph?: boolean;
}

export type DegradedPart = 'messages' | 'blocks' | 'memories';

type ContextDeps = Pick<Deps, 'workingMemory' | 'index' | 'clock'>;

/** The candidates the Vector side returns beyond top_k, so repeats of buffered turns can be dropped. */
const OVERFETCH = 2;

const blockOwners = (s: Scope) => [...(s.user_id ? [{ user_id: s.user_id }] : []), ...(s.agent_id ? [{ agent_id: s.agent_id }] : [])];

export async function getContext(deps: ContextDeps, tenant: string, input: ContextInput) {
  const now = deps.clock.now();
  // Long-term memories span sessions: the run id picks the buffer, not the memories (unless it is the only id).
  const memoryScope: Scope = input.scope.user_id || input.scope.agent_id ? { ...input.scope, run_id: undefined } : input.scope;
  const filter = readFilter({ scope: memoryScope, visibility: { now }, kinds: input.kinds });
  const queryMemories = (text: string): Promise<Ranked[]> =>
    deps.index.query(namespace(tenant, input.scope), { text, topK: Math.min(100, input.top_k * OVERFETCH), filter }).then((m) => rank(m, now));

  const graph = input.query !== undefined && input.graph !== false && input.top_k > 0 ? queryGraph(input.query, now, input.top_k) : undefined;
  const workingP = deps.workingMemory.read(tenant, input.scope, { maxMessages: input.max_messages, owners: blockOwners(input.scope), ...(graph && { graph }) });
  const memoriesP = input.query !== undefined ? queryMemories(input.query) : workingP.then(({ turns }) => {
    const last = lastUserTurn(turns);
    return last ? queryMemories(last.content) : [];
  });
  const [workingR, memoriesR] = await Promise.allSettled([workingP, memoriesP]);

  const degraded: Array<{ part: DegradedPart; reason: string }> = [];
  const reason = (r: PromiseRejectedResult) => (r.reason instanceof Error ? r.reason.message : String(r.reason));
  let turns: Turn[] = [];
  let blocks: Block[] = [];
  let entities: EntityView[] = [];
  if (workingR.status === 'fulfilled') ({ turns, blocks, entities } = workingR.value);
  else degraded.push({ part: 'messages', reason: reason(workingR) }, { part: 'blocks', reason: reason(workingR) });
  const similar = memoriesR.status === 'fulfilled' ? memoriesR.value : [];
  const linked = linkedFacts(entities, (r) => inScope(r, memoryScope) && (!input.kinds?.length || input.kinds.includes(r.kind)));
  const ranked = linked.length > 0 ? fuse(similar, linked, now) : similar;
  if (memoriesR.status === 'rejected') degraded.push({ part: 'memories', reason: reason(memoriesR) });
  if (workingR.status === 'rejected' && memoriesR.status === 'rejected') {
    throw new AppError('UPSTREAM_UNAVAILABLE', `Context unavailable: ${reason(workingR)}; ${reason(memoriesR)}`);
  }

  const fresh = dropRepeats(ranked, turns);
  const fitted = fitContext({ blocks, memories: fresh.slice(0, input.top_k), turns, budget: input.token_budget, estimate: estimateTokens });
  const memories = fitted.memories.map((m) => m.record);
  const body = {
    messages: fitted.turns.map(apiTurn),
    memories: fitted.memories.map((m) => ({ ...toApiMemory(m.record), score: Number(m.score.toFixed(6)) })),
    blocks: fitted.blocks.map(toApiBlock),
    prompt: renderPrompt(fitted.blocks, memories),
    ...(entities.length > 0 && { entities: entities.map((v) => v.entity.name) }),
    usage: { ...fitted.tokens, dropped: { ...fitted.dropped, repeats: ranked.length - fresh.length } },
    ...(degraded.length > 0 && { degraded: degraded.map((d) => d.part) }),
  };
  return { body, degraded };
}

function lastUserTurn(turns: Turn[]): Turn | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.role === 'user') return turns[i];
  return undefined;
}

const apiTurn = (t: Turn) => ({ id: t.id, role: t.role, content: t.content, ...(t.name !== undefined && { name: t.name }), created_at: new Date(t.created_at).toISOString() });
