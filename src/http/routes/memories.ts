import { Hono } from 'hono';
import { ingest } from '../../memory/ingest';
import { deleteMemory, editMemory, eraseScope, getMemory, listMemories, memoryHistory } from '../../memory/manage';
import { type Kind, toApiEvent } from '../../memory/model';
import { search } from '../../memory/search';
import { notFound } from '../../errors';
import { AddMemories, Edit, EraseQuery, EventIdParam, ListQuery, MemoryIdParam, Search, scopeOf } from '../schemas';
import type { AppEnv } from '../types';
import { check, jsonBody, queryParams } from '../validate';

/** /v1/memories and /v1/events: thin handlers — validate, call one use case, answer. */
export const memories = new Hono<AppEnv>()
  .post('/memories', async (c) => {
    const body = await jsonBody(c, AddMemories);
    const { status, body: out } = await ingest(c.get('deps'), c.get('tenant'), { ...body, scope: scopeOf(body) });
    return c.json(out, status);
  })
  .post('/memories/search', async (c) => {
    const body = await jsonBody(c, Search);
    return c.json(await search(c.get('deps'), c.get('tenant'), { ...body, kinds: body.kinds as Kind[] | undefined, scope: scopeOf(body) }));
  })
  .get('/memories', async (c) => {
    const q = queryParams(c, ListQuery);
    return c.json(await listMemories(c.get('deps'), c.get('tenant'), { ...q, scope: scopeOf(q), cursor: q.cursor ?? '0' }));
  })
  .delete('/memories', async (c) => {
    const q = queryParams(c, EraseQuery);
    return c.json(await eraseScope(c.get('deps'), c.get('tenant'), scopeOf(q)));
  })
  .get('/memories/:id', async (c) => c.json(await getMemory(c.get('deps'), c.get('tenant'), check(MemoryIdParam, c.req.param('id'), 'memory id'))))
  .patch('/memories/:id', async (c) => {
    const id = check(MemoryIdParam, c.req.param('id'), 'memory id');
    return c.json(await editMemory(c.get('deps'), c.get('tenant'), id, await jsonBody(c, Edit)));
  })
  .delete('/memories/:id', async (c) => c.json(await deleteMemory(c.get('deps'), c.get('tenant'), check(MemoryIdParam, c.req.param('id'), 'memory id'))))
  .get('/memories/:id/history', async (c) => c.json(await memoryHistory(c.get('deps'), c.get('tenant'), check(MemoryIdParam, c.req.param('id'), 'memory id'))))
  .get('/events/:id', async (c) => {
    const id = check(EventIdParam, c.req.param('id'), 'event id');
    const event = await c.get('deps').events.get(c.get('tenant'), id);
    if (!event) throw notFound(`No event with id ${id}.`);
    return c.json(toApiEvent(event));
  });
