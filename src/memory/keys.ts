/**
 * Every storage key and vector namespace is built here, and nowhere else.
 *
 * Scope ids and tenant ids are validated to `[A-Za-z0-9_.@+-]{1,128}` before they reach this module
 * (http/schemas.ts), so `:` can safely delimit key parts and ids can appear in URL paths and filters.
 *
 * The "primary scope" of a write is its user if given, else its agent, else its run. It picks the vector
 * namespace and the Redis key prefix, so erasing a user is: delete one namespace + SCAN one prefix.
 * The "extraction scope" is the full (user, agent, run) triple: turns are logged and extracted per triple.
 *
 * | key                                     | type   | TTL                | holds                                      |
 * |-----------------------------------------|--------|--------------------|--------------------------------------------|
 * | eg:key:{sha256(api key)}                | string | none               | {key_id, tenant, created_at} of an API key  |
 * | eg:keyid:{key_id}                       | string | none               | sha256 of the key (for revocation)          |
 * | eg:rl:{n}:{ms}:{sha256(api key)}:{w}    | string | 2 windows + 1 s    | requests of one key in window number {w}    |
 * |                                         |        |                    | (policy n per ms; @upstash/ratelimit's)     |
 * | eg:expiry-scopes                        | zset   | none               | "{tenant}|{primary}" by next expires_at     |
 * | eg:compact-scopes                       | zset   | none               | "{tenant}|{primary}" by last fact write (ms)|
 * | eg:src:{source}                         | string | none               | IngestSource JSON: tenant, format, secrets  |
 * | eg:{t}:hookseen:{source}:{webhook-id}   | string | 600 s              | an inbound delivery id already taken        |
 * |                                         |        |                    | (replay guard: 2 × the timestamp tolerance) |
 * | eg:{t}:webhooks                         | hash   | none               | endpoint id → WebhookEndpoint JSON (secret) |
 * | eg:{t}:ids                              | hash   | none               | memory id → primary scope                   |
 * | eg:{t}:ev:{event_id}                    | string | 7 days             | EventRecord JSON                            |
 * | eg:{t}:{p}:buf:{run or -}               | list   | BUFFER_TTL         | recent turns (JSON), newest last, trimmed   |
 * | eg:{t}:{p}:seen:{x}                     | set    | BUFFER_TTL         | message ids already taken (dedup)           |
 * | eg:{t}:{p}:log:{x}                      | zset   | none               | turns awaiting extraction, by seq           |
 * | eg:{t}:{p}:seq:{x}                      | string | none               | last turn seq given out                     |
 * | eg:{t}:{p}:wm:{x}                       | string | none               | watermark: last seq extracted               |
 * | eg:{t}:{p}:pending:{x}                  | string | none               | newest event id queued for extraction       |
 * | eg:{t}:{p}:claim:{event_id}             | string | 120 s              | a running job's claim (SET NX PX)           |
 * | eg:{t}:{p}:hist:{memory_id}             | list   | none               | HistoryRow JSON, oldest first               |
 * | eg:{t}:{p}:exp                          | zset   | none               | memory id by expires_at (ms)                |
 * | eg:{t}:{p}:evs                          | set    | 7 days             | this scope's event ids (for erase)          |
 * | eg:{t}:{p}:blocks                       | hash   | none               | label → body key of each block {p} sees     |
 * |                                         |        |                    | (its own and those attached to it)          |
 * | eg:{t}:{p}:blk:{label}                  | string | none               | block body JSON, owned by {p} (block-model) |
 * | eg:{t}:{p}:blkhist:{label}              | list   | none               | block history rows JSON, newest 100 kept    |
 * | eg:{t}:{p}:ent                          | hash   | none               | entity key → Entity JSON (entities.ts)      |
 * | eg:{t}:{p}:alias                        | hash   | none               | normalised name → entity key ("" ambiguous) |
 * | eg:{t}:{p}:edge                         | hash   | none               | memory id → Edge JSON (a fact + its links)  |
 * | eg:{t}:{p}:efacts:{entity key}          | set    | none               | memory ids linked to the entity             |
 * where {t} = tenant, {p} = primary scope ("u.{id}" | "a.{id}" | "r.{id}"), {x} = extraction scope.
 */
import type { Scope } from './model';

export function primaryScope(scope: Scope): string {
  if (scope.user_id) return `u.${scope.user_id}`;
  if (scope.agent_id) return `a.${scope.agent_id}`;
  if (scope.run_id) return `r.${scope.run_id}`;
  throw new Error('scope has no id');
}

/** The full triple, e.g. "u.alice|a.-|r.s1": one extraction stream per distinct triple. */
export function extractionScope(scope: Scope): string {
  return `u.${scope.user_id ?? '-'}|a.${scope.agent_id ?? '-'}|r.${scope.run_id ?? '-'}`;
}

export function namespace(tenant: string, scope: Scope): string {
  return `${tenant}:${primaryScope(scope)}`;
}

export const keys = {
  apiKey: (hash: string) => `eg:key:${hash}`,
  apiKeyId: (keyId: string) => `eg:keyid:${keyId}`,
  /** The rate limiter adds `:{id}:{window number}` (the id is the key's SHA-256); the policy is in the prefix so policies never share counters. */
  rateLimitPrefix: (requests: number, windowMs: number) => `eg:rl:${requests}:${windowMs}`,
  expiryScopes: () => 'eg:expiry-scopes',
  /** Scopes whose facts or preferences were written since their last compaction (see RedisLedger.record). */
  compactScopes: () => 'eg:compact-scopes',
  ids: (tenant: string) => `eg:${tenant}:ids`,
  event: (tenant: string, eventId: string) => `eg:${tenant}:ev:${eventId}`,
  /** Source ids are global (the ingest URL names no tenant); the record names the tenant. */
  ingestSource: (source: string) => `eg:src:${source}`,
  /** The webhook id is the sender's text, checked to be printable ASCII without spaces; it ends the key. */
  ingestSeen: (tenant: string, source: string, webhookId: string) => `eg:${tenant}:hookseen:${source}:${webhookId}`,
  webhooks: (tenant: string) => `eg:${tenant}:webhooks`,

  scopePrefix: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:`,
  buffer: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:buf:${scope.run_id ?? '-'}`,
  seen: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:seen:${extractionScope(scope)}`,
  turnLog: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:log:${extractionScope(scope)}`,
  turnSeq: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:seq:${extractionScope(scope)}`,
  watermark: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:wm:${extractionScope(scope)}`,
  pending: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:pending:${extractionScope(scope)}`,
  claim: (tenant: string, scope: Scope, eventId: string) => `eg:${tenant}:${primaryScope(scope)}:claim:${eventId}`,
  history: (tenant: string, scope: Scope, memoryId: string) => `eg:${tenant}:${primaryScope(scope)}:hist:${memoryId}`,
  expiry: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:exp`,
  scopeEvents: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:evs`,
  blocks: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:blocks`,
  blockBody: (tenant: string, scope: Scope, label: string) => `eg:${tenant}:${primaryScope(scope)}:blk:${label}`,
  blockHistory: (tenant: string, scope: Scope, label: string) => `eg:${tenant}:${primaryScope(scope)}:blkhist:${label}`,
  entities: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:ent`,
  entityAliases: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:alias`,
  edges: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:edge`,
  /** Followed by the entity key (entities.ts entityKey: normalised text, no length above 128). */
  entityFactsPrefix: (tenant: string, scope: Scope) => `eg:${tenant}:${primaryScope(scope)}:efacts:`,
};

/** Member of the global expiry-scopes and compact-scopes zsets: a tenant's primary scope. */
export const expiryScopeMember = (tenant: string, scope: Scope) => `${tenant}|${primaryScope(scope)}`;

export function parseExpiryScopeMember(member: string): { tenant: string; scope: Scope } {
  const [tenant = '', primary = ''] = member.split('|');
  const id = primary.slice(2);
  const scope: Scope = primary.startsWith('u.') ? { user_id: id } : primary.startsWith('a.') ? { agent_id: id } : { run_id: id };
  return { tenant, scope };
}

export const EVENT_TTL_SECONDS = 7 * 86_400;
export const CLAIM_TTL_MS = 120_000;
