import { Hono } from 'hono';
import { COMPACT_PATH, runCompaction } from '../../memory/compact';
import { EXPIRE_PATH, runExpiry } from '../../memory/expire';
import { failExtraction, runExtraction } from '../../memory/extract';
import { EXTRACT_PATH } from '../../memory/ingest';
import { jobHandler } from '../job-handler';
import { CompactJobBody, ExpireJobBody, ExtractJobBody } from '../schemas';
import type { AppEnv } from '../types';

/** The QStash callbacks. Each is signature-verified and idempotent; job-handler.ts maps the outcome. */
export const jobs = new Hono<AppEnv>()
  .post(
    EXTRACT_PATH,
    jobHandler({
      path: EXTRACT_PATH,
      schema: ExtractJobBody,
      run: async (deps, job) => {
        const event = await runExtraction(deps, job);
        return { event_id: event.event_id, status: event.status };
      },
      giveUp: failExtraction,
      describe: (job) => ({ event_id: job.event_id }),
    }),
  )
  .post(EXPIRE_PATH, jobHandler({ path: EXPIRE_PATH, schema: ExpireJobBody, run: runExpiry }))
  .post(COMPACT_PATH, jobHandler({ path: COMPACT_PATH, schema: CompactJobBody, run: runCompaction }));
