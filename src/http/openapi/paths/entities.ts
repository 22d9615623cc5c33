/** Registry entries: /v1/entities (the temporal knowledge graph). */
import { EntityListQuery, EntityName, EntityQuery } from '../../schemas';
import { EntityAnswer, EntityPage } from '../responses';
import { route } from '../route';

export const entityRoutes = [
  route({
    operationId: 'listEntities',
    method: 'get',
    path: '/v1/entities',
    tag: 'Entities',
    summary: 'List entities',
    description: 'The people, organisations, places and products a scope\'s facts name, one page at a time, each with how many facts link to it.',
    auth: 'key',
    query: EntityListQuery,
    responses: { 200: { description: 'One page; pass `next_cursor` back as `cursor`.', schema: EntityPage } },
    example: { query: { user_id: 'alice' } },
  }),
  route({
    operationId: 'getEntity',
    method: 'get',
    path: '/v1/entities/:name',
    tag: 'Entities',
    summary: 'An entity and its facts over time',
    description:
      'By name or alias. Its facts as edges (subject, predicate, object) that held at `as_of` (default now), newest first; its ' +
      'neighbours by shared facts (`depth=2` adds their own facts); `include_history=true` adds the facts that had ended, oldest first. One Redis round trip.',
    auth: 'key',
    params: { name: EntityName },
    query: EntityQuery,
    responses: { 200: { description: 'The entity.', schema: EntityAnswer } },
    errors: ['NOT_FOUND'],
    example: { params: { name: 'Robert Smith' }, query: { user_id: 'alice', as_of: '2025-01-01T00:00:00Z', include_history: 'true' } },
  }),
];
