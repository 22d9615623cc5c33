/**
 * Putting one LoCoMo conversation into Engram through the public API, the way an app would: session by
 * session, in requests of at most 100 messages (the API's limit), each message with the dataset's
 * `dia_id` as its id, the session time as `created_at` and the speaker as `name`.
 *
 *   episodes  `infer: false`: every turn stored verbatim as an episode memory (no LLM); 201 when stored.
 *   extract   the normal path: 202, then the extraction job (QStash → LLM). Each request's event is
 *             awaited before the next request, so sessions are extracted in order and nothing is
 *             still being written when the questions are asked.
 */
import { type AddMemoriesRequest, type Engram, EngramError, type Event } from '../../src/client';
import type { Conversation, Turn } from './locomo';

export type Mode = 'episodes' | 'extract';

type Message = AddMemoriesRequest['messages'][number];

/** The API's limit per request, and also the Worker's extraction batch (a full one queues a follow-up job). */
const MAX_MESSAGES = 100;
const EVENT_TIMEOUT_MS = 180_000;

const toMessage = (t: Turn): Message => ({ role: 'user', content: t.text, name: t.speaker, id: t.id, created_at: new Date(t.created_at).toISOString() });

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export interface IngestStats {
  turns: number;
  eventsFailed: number;
}

export async function ingestConversation(
  api: Engram,
  userId: string,
  conv: Conversation,
  mode: Mode,
  onBatch: (turns: number) => void,
): Promise<IngestStats> {
  const stats: IngestStats = { turns: 0, eventsFailed: 0 };
  for (const session of conv.sessions) {
    for (const batch of chunks(session.turns, MAX_MESSAGES)) {
      const body = { user_id: userId, run_id: `session-${session.index}`, messages: batch.map(toMessage) };
      if (mode === 'episodes') {
        await api.memories.add({ ...body, infer: false });
      } else {
        const queued = await api.memories.add(body);
        const events = [await api.events.wait(queued.event_id, { timeoutMs: EVENT_TIMEOUT_MS })];
        // A full batch makes the job queue a follow-up (`<id>-next`) for any backlog: wait for it too.
        if (batch.length === MAX_MESSAGES) events.push(await waitForFollowUp(api, `${queued.event_id}-next`));
        stats.eventsFailed += events.filter((e) => e.status === 'failed').length;
      }
      stats.turns += batch.length;
      onBatch(batch.length);
    }
  }
  return stats;
}

/** The follow-up event exists only once its job has started; until then GET answers 404. */
async function waitForFollowUp(api: Engram, id: string): Promise<Event> {
  const until = Date.now() + EVENT_TIMEOUT_MS;
  for (;;) {
    try {
      return await api.events.wait(id, { timeoutMs: Math.max(1000, until - Date.now()) });
    } catch (err) {
      const notYet = err instanceof EngramError && err.status === 404;
      if (!notYet || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
