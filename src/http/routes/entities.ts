import { Hono } from 'hono';
import { getEntity, listEntities } from '../../memory/graph';
import { EntityListQuery, EntityName, EntityQuery, scopeOf } from '../schemas';
import type { AppEnv } from '../types';
import { check, queryParams } from '../validate';

/** The knowledge graph of a scope: its entities, and one entity's facts as edges at a time. */
export const entities = new Hono<AppEnv>()
  .get('/entities', async (c) => {
    const q = queryParams(c, EntityListQuery);
    return c.json(await listEntities(c.get('deps'), c.get('tenant'), { scope: scopeOf(q), ...(q.cursor && { cursor: q.cursor }), limit: q.limit }));
  })
  .get('/entities/:name', async (c) => {
    const name = check(EntityName, c.req.param('name'), 'name');
    const q = queryParams(c, EntityQuery);
    return c.json(await getEntity(c.get('deps'), c.get('tenant'), {
      scope: scopeOf(q), name, ...(q.as_of !== undefined && { as_of: q.as_of }), depth: q.depth, include_history: q.include_history, limit: q.limit,
    }));
  });
