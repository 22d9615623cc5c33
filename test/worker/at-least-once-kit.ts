/**
 * At-least-once delivery, as a replayable scenario: the same steps (ingests, edits, blocks, jobs,
 * clock ticks) run once with every QStash delivery sent exactly once, and once with each sent 1–5
 * times — the copies shuffled, some in the same batch, some arriving late, after newer ingests and
 * jobs. Both users' full dumps (scope-dump.ts) must then be equal once ids are mapped.
 *
 * Time. The Worker's clock is the isolate's Date, frozen with vi fake timers and moved only by `tick`
 * steps, from the same base in both runs, so every stored time is equal in both: nothing is
 * normalised. QStash's own clock (`/_local/clock`) is advanced only to make delayed jobs due. QStash
 * signatures are checked against the (fake) Date and are valid from their real issue time for 300 s:
 * with the base 260 s after the real start, a pair of runs may take up to 260 s of real time and its
 * ticks may reach 30 s past the base (MAX_TICK_MS).
 *
 * Where a late copy may land. An extraction copy may arrive anywhere later (its event is finished:
 * a rerun must change nothing). A sweep or compaction copy is a sweep "now": arriving after the clock
 * moved or after new facts, it would rightly act on them, earlier than the single run's next job. So
 * those copies land only before the next step that ticks or writes facts (a barrier).
 *
 * Order. Within one batch both runs deliver first copies in one seeded shuffled order — ranked by a
 * hash of the seed and the job's identity (path, the scenario's number for its event), so it is the
 * same in both runs even when their batches differ (a retry, another tenant's continuation) — except
 * that the duplicating run shuffles a batch of extraction jobs alone (which commute) once more.
 *
 * Lost acks. In the duplicating run some first copies are reported to QStash as failed (503) although
 * the Worker did the work: QStash itself redelivers them after its backoff, with `Upstash-Retried` set.
 */
import { vi } from 'vitest';
import { call, clearLlmCalls, llmCalls, local, ORIGIN, qstash, redeliver, unique, type Delivery } from './helpers';
import { canonical, dumpScope } from './scope-dump';
import { prng } from '../../scripts/local/prng';

/** How far a scenario may move the Worker clock past its base (see the header on signatures). */
export const MAX_TICK_MS = 30_000;


export function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** FNV-1a of the text, mixed with the seed: a stable rank. */
function rank(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export type Step =
  /** Moves the Worker's clock to base + at_ms. */
  | { do: 'tick'; at_ms: number }
  /** POST /v1/memories for the user (user_id added). */
  | { do: 'ingest'; body: Record<string, unknown> }
  /** PATCH or DELETE the user's current memory with this text. */
  | { do: 'edit'; text: string; patch?: Record<string, unknown> }
  /** A block call for the user: `path` is after /v1/blocks/, the holder query is added. */
  | { do: 'block'; method: 'PUT' | 'POST'; path: string; body: Record<string, unknown> }
  /** Publishes a sweep or compaction job to QStash (it is delivered by the next `deliver`). */
  | { do: 'publish'; path: '/jobs/expire' | '/jobs/compact' }
  /** Delivers everything QStash has due, until nothing is. */
  | { do: 'deliver' };

export interface RunOptions {
  key: string;
  user: string;
  /** The Worker clock's base (epoch ms). */
  base: number;
  /** Orders batches (both runs). */
  seed: number;
  /** Present in the duplicating run: how many copies and where they land. */
  copies?: () => number;
}

export interface RunRecord {
  /** Event ids in the order the scenario created them. */
  events: string[];
  /** Ids of directly written episodes (no event names them). */
  memoryIds: string[];
  deliveries: number;
  /** Deliveries beyond the first of each message. */
  extraCopies: number;
  /** Copies that arrived after later steps had run. */
  lateCopies: number;
  /** First copies reported to QStash as failed although done, so QStash redelivered them. */
  lostAcks: number;
  /** Every status the Worker answered a delivery with. */
  statuses: number[];
}

const isBarrier = (s: Step) => s.do === 'tick' || s.do === 'edit' || s.do === 'deliver' || (s.do === 'ingest' && s.body.mode === 'sync');
const pathOf = (d: Delivery) => new URL(d.url).pathname;

async function expectOk(method: string, path: string, key: string, body?: unknown) {
  const res = await call(method, path, { key, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function pullAll(): Promise<Delivery[]> {
  // Past the extraction debounce and any retry backoff; QStash's clock only.
  await qstash('POST', '/_local/clock', { advance_ms: 3_600_000 });
  return (await qstash('POST', '/_local/qstash/pull', {})) as Delivery[];
}

export async function runScenario(steps: Step[], o: RunOptions): Promise<RunRecord> {
  const rec: RunRecord = { events: [], memoryIds: [], deliveries: 0, extraCopies: 0, lateCopies: 0, lostAcks: 0, statuses: [] };
  // Copies waiting to arrive late, by the index of the step they arrive before (steps.length = the end).
  const late = new Map<number, Delivery[]>();
  const nextBarrier = (from: number) => {
    const i = steps.findIndex((s, j) => j > from && isBarrier(s));
    return i === -1 ? steps.length : i;
  };
  const send = async (d: Delivery, first: boolean) => {
    rec.deliveries++;
    // A copy is a redelivery; a first copy's outcome is reported to QStash (which retries a failure).
    const res = await redeliver(d);
    rec.statuses.push(res.status);
    if (!first) return;
    const lost = o.copies !== undefined && res.status === 200 && d.headers['upstash-retried'] === '0' && o.copies() < 0.25;
    if (lost) rec.lostAcks++;
    await qstash('POST', '/_local/qstash/report', { id: d.id, status: lost ? 503 : res.status, headers: res.headers, body: res.text });
  };
  const identity = (d: Delivery) => {
    const path = pathOf(d);
    if (path !== '/jobs/extract') return `${path}|${d.body}`;
    const eventId = String(JSON.parse(d.body).event_id);
    return `${path}|${rec.events.indexOf(eventId.replace(/(-next)+$/, ''))}|${eventId.split('-').length}`;
  };
  const ordered = (due: Delivery[]) => [...due].sort((a, b) => rank(o.seed, identity(a)) - rank(o.seed, identity(b)));
  const arriveLate = async (at: number) => {
    const due = o.copies ? shuffle(late.get(at) ?? [], o.copies) : [];
    late.delete(at);
    for (const d of due) await send(d, false);
  };

  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(o.base);
  try {
    for (let i = 0; i < steps.length; i++) {
      await arriveLate(i);
      await runStep(steps[i]!, i);
    }
    await arriveLate(steps.length);
  } finally {
    vi.useRealTimers();
  }
  return rec;

  async function runStep(step: Step, index: number) {
    switch (step.do) {
      case 'tick':
        vi.setSystemTime(o.base + step.at_ms);
        return;
      case 'ingest': {
        const out = await expectOk('POST', '/v1/memories', o.key, { ...step.body, user_id: o.user });
        if (out.event_id) rec.events.push(out.event_id);
        if (step.body.infer === false) rec.memoryIds.push(...out.results.map((r: { id: string }) => r.id));
        return;
      }
      case 'edit': {
        const listed = (await expectOk('GET', `/v1/memories?user_id=${o.user}&limit=1000`, o.key)).results as Array<{ id: string; memory: string }>;
        const found = listed.filter((m) => m.memory === step.text);
        if (found.length !== 1) throw new Error(`edit: ${found.length} current memories read "${step.text}": ${listed.map((m) => m.memory).join(' | ')}`);
        await expectOk(step.patch ? 'PATCH' : 'DELETE', `/v1/memories/${found[0]!.id}`, o.key, step.patch);
        return;
      }
      case 'block':
        await expectOk(step.method, `/v1/blocks/${step.path}?user_id=${o.user}`, o.key, step.body);
        return;
      case 'publish': {
        const res = await fetch(`${local.qstash}/v2/publish/${ORIGIN}${step.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${local.tokens.qstash}`, 'content-type': 'application/json' },
          body: '{}',
        });
        if (!res.ok) throw new Error(`publish ${step.path}: ${res.status}`);
        return;
      }
      case 'deliver':
        for (let round = 0; ; round++) {
          if (round === 20) throw new Error('the queue did not drain');
          const due = ordered(await pullAll());
          if (due.length === 0) return;
          await deliverBatch(due, index);
        }
    }
  }

  async function deliverBatch(due: Delivery[], index: number) {
    if (!o.copies) {
      for (const d of due) await send(d, true);
      return;
    }
    const onlyExtraction = due.every((d) => pathOf(d) === '/jobs/extract');
    const batch: Array<{ d: Delivery; first: boolean }> = (onlyExtraction ? shuffle(due, o.copies) : due).map((d) => ({ d, first: true }));
    for (const d of due) {
      const extra = Math.floor(o.copies() * 5);
      rec.extraCopies += extra;
      const last = pathOf(d) === '/jobs/extract' ? steps.length : nextBarrier(index);
      for (let c = 0; c < extra; c++) {
        // Half the copies come in this batch, after the first; the rest before a later step.
        const at = o.copies() < 0.5 ? index : index + 1 + Math.floor(o.copies() * (last - index));
        if (at === index) {
          const after = batch.findIndex((b) => b.d === d && b.first);
          batch.splice(after + 1 + Math.floor(o.copies() * (batch.length - after)), 0, { d, first: false });
        } else {
          rec.lateCopies++;
          late.set(at, [...(late.get(at) ?? []), d]);
        }
      }
    }
    for (const { d, first } of batch) await send(d, first);
  }
}

/**
 * Runs `scenario` for two new users of one tenant — first with single delivery, then duplicating
 * with `seed` — and returns both canonical dumps and run records, to compare with toEqual.
 */
export async function compareRuns(key: string, tenant: string, scenario: (base: number) => Step[], seed: number) {
  const base = Date.now() + 260_000;
  const ticks = scenario(base).flatMap((s) => (s.do === 'tick' ? [s.at_ms] : []));
  if (Math.max(0, ...ticks) > MAX_TICK_MS) throw new Error(`a scenario's ticks must stay within ${MAX_TICK_MS} ms of its base`);
  const runs = [];
  for (const duplicating of [false, true]) {
    const user = unique(duplicating ? 'u-dup' : 'u-once');
    const copies = prng(seed);
    await clearLlmCalls();
    const rec = await runScenario(scenario(base), { key, user, base, seed, ...(duplicating && { copies }) });
    const llmChatCalls = (await llmCalls()).filter((c) => c.endpoint.includes('chat')).length;
    const dump = await dumpScope({ key, tenant, user_id: user, event_ids: rec.events, run_ids: ['r1', 'r2'], memory_ids: rec.memoryIds });
    runs.push({ user, rec, llmChatCalls, dump: canonical(dump, user, rec.events) });
  }
  return { once: runs[0]!, dup: runs[1]! };
}
