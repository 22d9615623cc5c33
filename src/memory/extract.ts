/**
 * The extraction job (QStash callback, or inline for `mode: "sync"`).
 *
 * Idempotent under at-least-once delivery: a finished event is not run again; a claim key keeps two
 * deliveries of one event from running at once; ids are content-derived, so a replay after a crash
 * upserts the same records; the watermark moves only after every write has landed.
 * Trailing debounce: when the scope's pending mark names a newer event, that event's job will cover
 * these turns, so this one folds itself into it and exits — after making sure that job runs (handOver).
 * Graph: the scope's entities are read beside the pending turns (no extra wave) and the model's names
 * resolved against them (graph-extract.ts) before planning; new entities are written with the facts,
 * whose edges the ledger writes.
 * Webhooks: the tenant's endpoints are read beside the pending turns (no extra wave); memory changes
 * are published with the writes, the event's final status with its record (webhook-delivery.ts).
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { EXTRACTION_JSON_SCHEMA, EXTRACTION_SCHEMA_NAME, type ExtractionOutput } from './extraction-schema';
import { buildExtractionInput, EXTRACTION_SYSTEM_PROMPT, parseExtractionOutput } from './extraction-prompt';
import { EXTRACT_PATH, type ExtractJob } from './ingest';
import { namespace } from './keys';
import type { EventRecord, MemoryRecord, Turn, Usage } from './model';
import { planExtraction } from './plan';
import { resolveOutput } from './graph-extract';
import { readFilter } from './read-filter';
import { sendWebhooks } from './webhook-delivery';
import { eventStatusEvents, memoryEvents } from './webhook-events';

type ExtractDeps = Pick<Deps, 'turns' | 'events' | 'index' | 'ledger' | 'llm' | 'clock' | 'config' | 'queue' | 'webhooks' | 'graph'>;

const RELATED_TOP_K = 12;
/** Turns per LLM call; a longer backlog is covered by follow-up jobs. */
const BATCH_TURNS = 100;

export async function runExtraction(deps: ExtractDeps, job: ExtractJob): Promise<EventRecord> {
  const { tenant, scope, event_id } = job;
  // A follow-up batch ("evt_…-next") has no event of its own until it runs: the one it follows stands for it.
  const origin = event_id.replace(/(-next)+$/, '');
  const [existingEvent, originEvent] = await Promise.all([
    deps.events.get(tenant, event_id),
    job.continuation && origin !== event_id ? deps.events.get(tenant, origin) : null,
  ]);
  if (existingEvent && (existingEvent.status === 'succeeded' || existingEvent.status === 'failed')) return existingEvent;
  // Ingest writes the event before its job can run: none means the scope was erased since (or the
  // ingest was refused), and a job must not write the erased scope back.
  if (!existingEvent && !(job.continuation && originEvent)) {
    const now = deps.clock.now();
    return { event_id, status: 'failed', scope, created_at: now, updated_at: now, results: [], usage: { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0 }, error: 'the event no longer exists: its scope was erased, or its ingest failed' };
  }
  const base: EventRecord = existingEvent ?? {
    event_id, status: 'queued', scope, created_at: deps.clock.now(), updated_at: deps.clock.now(), results: [], usage: { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0 },
  };

  if (!(await deps.turns.claim(tenant, scope, event_id))) {
    throw new AppError('UPSTREAM_UNAVAILABLE', `event ${event_id} is being extracted by another delivery; retry later`);
  }
  try {
    const [{ turns, pendingEventId }, endpoints, directory] = await Promise.all([
      deps.turns.pending(tenant, scope, BATCH_TURNS),
      deps.webhooks.list(tenant),
      deps.graph.directory(tenant, scope),
    ]);
    const finish = async (patch: Partial<EventRecord>) => {
      const done: EventRecord = { ...base, ...patch, updated_at: deps.clock.now() };
      await Promise.all([deps.events.put(tenant, done), sendWebhooks(deps, endpoints, eventStatusEvents(done))]);
      return done;
    };
    if (!job.continuation && pendingEventId !== null && pendingEventId !== event_id && (await handOver(deps, job, pendingEventId))) {
      return await finish({ status: 'succeeded', merged_into: pendingEventId });
    }
    if (turns.length === 0) return await finish({ status: 'succeeded' });

    const ns = namespace(tenant, scope);
    const now = deps.clock.now();
    const [related] = await Promise.all([
      deps.index.query(ns, {
        text: queryText(turns),
        topK: RELATED_TOP_K,
        filter: readFilter({ scope: { ...scope, run_id: undefined }, visibility: { now }, kinds: ['fact', 'preference'] }),
      }),
      deps.events.put(tenant, { ...base, status: 'running', updated_at: now }),
    ]);
    const existing = related.map((m) => m.record);
    const { output: answer, usage } = await callModel(deps, turns, existing);
    const graph = resolveOutput(directory, answer, now);
    const output = graph.output;
    const plan = planExtraction({
      scope, cause: event_id, now, turns, existing, output,
      episodeTtlMs: deps.config.EPISODE_TTL_DAYS * 86_400_000, metadata: job.metadata ?? {},
    });
    await Promise.all([
      deps.index.upsert(ns, plan.writes.map((w) => w.record)),
      deps.ledger.record(tenant, scope, plan.writes),
      deps.graph.putEntities(tenant, scope, graph.entities, graph.aliases),
      sendWebhooks(deps, endpoints, memoryEvents(plan.writes.filter((w) => w.record.kind !== 'episode'), event_id)),
    ]);
    const lastSeq = Math.max(...turns.map((t) => t.seq ?? 0));
    await deps.turns.advance(tenant, scope, lastSeq);
    const done = await finish({ status: 'succeeded', results: plan.results, usage });
    await continueIfMore(deps, job, turns.length);
    return done;
  } finally {
    await deps.turns.release(tenant, scope, event_id).catch(() => undefined);
  }
}

/**
 * Folds this job into the newer event `to` only when that one ran or is sure to run: its record is
 * final, or it exists and its job is published again — deduplicated by its id when its own ingest's publish landed,
 * delivered when that publish failed (the ingest answered 503 after its turns were logged). Otherwise
 * (no record: its ingest failed halfway) this job extracts the pending turns itself.
 */
async function handOver(deps: ExtractDeps, job: ExtractJob, to: string): Promise<boolean> {
  const target = await deps.events.get(job.tenant, to);
  if (!target) return false;
  // Already run: it covered these turns (they were logged before its own), whatever the delivery order.
  if (target.status === 'succeeded' || target.status === 'failed') return true;
  const next: ExtractJob = { tenant: job.tenant, scope: job.scope, event_id: to, ...(job.metadata && { metadata: job.metadata }) };
  await deps.queue.publish(EXTRACT_PATH, next, { delaySeconds: deps.config.EXTRACT_DEBOUNCE_SECONDS, dedupId: to });
  return true;
}

/** Marks an event failed (the job gave up): visible in GET /v1/events/:id with its reason. */
export async function failExtraction(deps: Pick<Deps, 'events' | 'clock' | 'webhooks' | 'queue'>, job: ExtractJob, reason: string): Promise<void> {
  // The endpoints are best effort: recording why the job failed must not fail for want of a notification.
  const [event, endpoints] = await Promise.all([deps.events.get(job.tenant, job.event_id), deps.webhooks.list(job.tenant).catch(() => [])]);
  const now = deps.clock.now();
  const failed: EventRecord = {
    ...(event ?? { event_id: job.event_id, scope: job.scope, created_at: now, results: [], usage: { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0 } }),
    status: 'failed', error: reason, updated_at: now,
  };
  await Promise.all([deps.events.put(job.tenant, failed), sendWebhooks(deps, endpoints, eventStatusEvents(failed))]);
}

/** The user's side of the conversation says most about what memories it touches. */
function queryText(turns: Turn[]): string {
  const user = turns.filter((t) => t.role === 'user').map((t) => t.content);
  return (user.length ? user : turns.map((t) => t.content)).join('\n').slice(-2000);
}

/** One LLM call; a malformed answer is retried once, then the event fails (not retryable). */
async function callModel(deps: ExtractDeps, turns: Turn[], existing: MemoryRecord[]): Promise<{ output: ExtractionOutput; usage: Usage }> {
  const usage: Usage = { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0 };
  const request = {
    system: EXTRACTION_SYSTEM_PROMPT,
    user: JSON.stringify(buildExtractionInput(turns, existing)),
    schemaName: EXTRACTION_SCHEMA_NAME,
    schema: EXTRACTION_JSON_SCHEMA as unknown as Record<string, unknown>,
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await deps.llm.completeJson(request);
    usage.llm_calls++;
    usage.prompt_tokens += res.usage.prompt_tokens;
    usage.completion_tokens += res.usage.completion_tokens;
    const output = parseExtractionOutput(res.content);
    if (output) return { output, usage };
  }
  throw new AppError('INTERNAL', 'the model returned malformed extraction output twice', false);
}

/** A job takes a bounded batch of turns; when more are waiting, it queues the next batch. */
async function continueIfMore(deps: ExtractDeps, job: ExtractJob, taken: number): Promise<void> {
  if (taken < BATCH_TURNS) return;
  const next = `${job.event_id}-next`;
  await deps.queue.publish(EXTRACT_PATH, { ...job, event_id: next, continuation: true }, { dedupId: next });
}
