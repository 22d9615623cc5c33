/**
 * Ingest (hot path). Async: one parallel wave — the turn log script, the event record and the QStash
 * publish — then 202. Sync: the same writes, then the extraction inline. `infer: false`: each message
 * stored verbatim as an episode memory, no LLM.
 */
import type { Deps } from '../deps';
import { randomHex } from '../crypto';
import { runExtraction } from './extract';
import { turnId } from './ids';
import { namespace } from './keys';
import type { EventRecord, MemoryRecord, Scope, Turn } from './model';
import { toApiEvent, toApiMemory } from './model';
import { episodeRecord } from './plan';

export interface IngestInput {
  scope: Scope;
  messages: Array<{ role: Turn['role']; content: string; name?: string; id?: string; created_at?: number }>;
  metadata: Record<string, unknown>;
  infer: boolean;
  mode: 'async' | 'sync';
  expires_at?: number;
}

export const EXTRACT_PATH = '/jobs/extract';

export interface ExtractJob {
  tenant: string;
  scope: Scope;
  event_id: string;
  metadata?: Record<string, unknown>;
  /** A follow-up for a backlog longer than one batch: not subject to the debounce check. */
  continuation?: boolean;
}

function toTurns(input: IngestInput, now: number): Turn[] {
  return input.messages.map((m, i) => {
    // Without a client time, keep the batch's order: a millisecond apart, oldest first.
    const created_at = m.created_at ?? now - (input.messages.length - 1 - i);
    return { id: m.id ?? turnId(m.role, m.content, created_at), role: m.role, content: m.content, created_at, ...(m.name !== undefined && { name: m.name }) };
  });
}

type IngestDeps = Pick<Deps, 'turns' | 'events' | 'queue' | 'index' | 'ledger' | 'llm' | 'clock' | 'config' | 'webhooks' | 'graph'>;

export async function ingest(deps: IngestDeps, tenant: string, input: IngestInput) {
  const now = deps.clock.now();
  const turns = toTurns(input, now);
  const eventId = `evt_${randomHex(12)}`;
  const bufferOpts = { eventId, bufferSize: deps.config.BUFFER_SIZE, ttlSeconds: deps.config.BUFFER_TTL_SECONDS };

  if (!input.infer) return storeEpisodes(deps, tenant, input, turns, now);

  const event: EventRecord = { event_id: eventId, status: 'queued', scope: input.scope, created_at: now, updated_at: now, results: [], usage: { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0 } };
  const job: ExtractJob = { tenant, scope: input.scope, event_id: eventId, ...(Object.keys(input.metadata).length > 0 && { metadata: input.metadata }) };
  if (input.mode === 'sync') {
    await Promise.all([deps.turns.append(tenant, input.scope, turns, { ...bufferOpts, log: true }), deps.events.put(tenant, event)]);
    const done = await runExtraction(deps, job);
    return { status: 200 as const, body: toApiEvent(done) };
  }
  await Promise.all([
    deps.turns.append(tenant, input.scope, turns, { ...bufferOpts, log: true }),
    deps.events.put(tenant, event),
    deps.queue.publish(EXTRACT_PATH, job, { delaySeconds: deps.config.EXTRACT_DEBOUNCE_SECONDS, dedupId: eventId }),
  ]);
  return { status: 202 as const, body: { event_id: eventId, status: 'queued' as const } };
}

async function storeEpisodes(deps: IngestDeps, tenant: string, input: IngestInput, turns: Turn[], now: number) {
  const expiresAt = input.expires_at ?? now + deps.config.EPISODE_TTL_DAYS * 86_400_000;
  const records: MemoryRecord[] = turns.map((t) => episodeRecord(input.scope, t, { now, expiresAt, metadata: input.metadata }));
  const entries = records.map((record) => ({ record, row: { memory_id: record.id, event: 'ADD' as const, at: now, version: 1, memory: record.text, previous: null, cause: 'api' } }));
  await Promise.all([
    deps.turns.append(tenant, input.scope, turns, { eventId: 'direct', bufferSize: deps.config.BUFFER_SIZE, ttlSeconds: deps.config.BUFFER_TTL_SECONDS, log: false }),
    deps.index.upsert(namespace(tenant, input.scope), records),
    deps.ledger.record(tenant, input.scope, entries),
  ]);
  return { status: 201 as const, body: { results: records.map((r) => ({ ...toApiMemory(r), event: 'ADD' as const })) } };
}
