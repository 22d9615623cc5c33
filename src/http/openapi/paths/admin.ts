/** Registry entries: /v1/admin (ADMIN_TOKEN only). */
import * as z from 'zod';
import { MintKey, ScopeId } from '../../schemas';
import { MintedKey, RevokedKey, Schedules } from '../responses';
import { route } from '../route';

export const adminRoutes = [
  route({
    operationId: 'mintKey',
    method: 'post',
    path: '/v1/admin/tenants/:tenant/keys',
    tag: 'Admin',
    summary: 'Mint an API key for a tenant',
    description:
      'The key is shown once, in this answer; only its SHA-256 is stored. A tenant may hold many keys. The body is ' +
      'optional: `rate_limit` gives the key its own limit instead of RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW ' +
      '(`requests: 0` exempts it).',
    auth: 'admin',
    params: { tenant: ScopeId },
    body: MintKey,
    bodyOptional: true,
    responses: { 201: { description: 'The new key.', schema: MintedKey } },
    example: { params: { tenant: 'acme' }, body: { rate_limit: { requests: 1200, window: '60 s' } } },
  }),
  route({
    operationId: 'ensureSchedules',
    method: 'post',
    path: '/v1/admin/schedules',
    tag: 'Admin',
    summary: 'Create the recurring job schedules',
    description:
      'Creates, or overwrites, the QStash schedules of the expiry and compaction jobs with the crons in the ' +
      'configuration (EXPIRE_CRON, COMPACT_CRON, UTC). Idempotent: fixed schedule ids; safe on every deploy.',
    auth: 'admin',
    responses: { 200: { description: 'The schedules as now set.', schema: Schedules } },
    example: {},
  }),
  route({
    operationId: 'revokeKey',
    method: 'delete',
    path: '/v1/admin/keys/:key_id',
    tag: 'Admin',
    summary: 'Revoke an API key',
    description: 'The key stops working at once.',
    auth: 'admin',
    // The route looks the id up as given: any string, and an unknown one is a 404.
    params: { key_id: z.string() },
    responses: { 200: { description: 'Revoked.', schema: RevokedKey } },
    errors: ['NOT_FOUND'],
    example: { params: { key_id: 'key_0123456789abcdef' } },
  }),
];
