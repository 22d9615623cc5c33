/**
 * Builds the OpenAPI 3.1 document from the route registry. Every zod schema a route names becomes a
 * component (named after its export in schemas.ts or responses.ts) through one `z.toJSONSchema` pass
 * over a registry, so shared parts (Time, Message, Memory …) are written once and referenced.
 * Requests are described as the client sends them (`io: 'input'`: the Time union before its transform,
 * fields with defaults optional).
 *
 * Runs at build time, not in the Worker: `npx tsx scripts/openapi.ts` writes openapi.json beside this
 * file, which the Worker serves as is (test/unit/openapi-document.test.ts fails when it is stale).
 * Building costs 10-25 ms of CPU — too much for a request — and the JSON weighs the same in the bundle
 * as this code would.
 */
import * as z from 'zod';
import { codeToStatus, type ErrorCode } from '../../errors';
import { VERSION } from '../routes/health';
import * as requestSchemas from '../schemas';
import { ROUTES, TAGS } from './registry';
import * as responseSchemas from './responses';
import type { RouteDoc } from './route';

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<ErrorCode, string> = {
  INVALID_INPUT: 'The request does not match the schema; `details` lists the problems.',
  UNAUTHORIZED: 'Missing, invalid or revoked credentials.',
  FORBIDDEN: 'These credentials may not use this route.',
  NOT_FOUND: 'No such resource for this tenant.',
  CONFLICT: 'The resource changed or exists already.',
  PAYLOAD_TOO_LARGE: 'The body is over 1 MiB.',
  RATE_LIMITED: 'Too many requests; retry after the time in `Retry-After`.',
  UPSTREAM_UNAVAILABLE: 'A store or the LLM did not answer; safe to retry.',
  INTERNAL: 'An unexpected error; the request id identifies it in the logs.',
};

/** The error codes a route can answer besides its own: from its auth kind and its inputs. */
export function commonErrors(r: RouteDoc): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (r.auth !== 'none') codes.push('UNAUTHORIZED');
  if (r.auth === 'admin') codes.push('FORBIDDEN');
  if (r.body || r.query || r.params) codes.push('INVALID_INPUT');
  if (r.body) codes.push('PAYLOAD_TOO_LARGE');
  if (r.auth === 'key') codes.push('RATE_LIMITED');
  if (r.auth !== 'none') codes.push('UPSTREAM_UNAVAILABLE');
  codes.push('INTERNAL');
  return codes;
}

export const openapiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** A query example as its schema types it (query strings carry numbers as text). */
const typed = (schema: Json, value: string) => (schema.type === 'integer' || schema.type === 'number' ? Number(value) : value);

/** Export name → schema, for naming components after the code that defines them. */
function knownNames(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const mod of [requestSchemas, responseSchemas] as Json[]) {
    for (const [name, value] of Object.entries(mod)) if (value instanceof z.ZodType && !names.has(value)) names.set(value, name);
  }
  return names;
}

/** Parts used in many places: their own components, referenced wherever they occur. */
const SHARED: Record<string, { schema: z.ZodType; description?: string }> = {
  Time: { schema: requestSchemas.Time, description: 'ISO-8601 with an offset (`2025-01-10T10:00:00Z`), or epoch milliseconds.' },
  ScopeId: { schema: requestSchemas.ScopeId, description: 'A user, agent or session id: 1-128 characters of A-Z a-z 0-9 _ . @ + -' },
  Message: { schema: requestSchemas.Message },
  Memory: { schema: responseSchemas.Memory },
  ErrorEnvelope: { schema: responseSchemas.ErrorEnvelope },
};

/** JSON Schema touch-ups: the ISO pattern zod adds next to `format: date-time`, and JS's safe-integer bounds. */
function tidy({ jsonSchema }: { jsonSchema: Json }) {
  if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
}

export function buildDocument(routes: RouteDoc[] = ROUTES): Json {
  const names = knownNames();
  const registry = z.registry<{ id: string; description?: string }>();
  for (const [id, { schema, description }] of Object.entries(SHARED)) registry.add(schema, { id, description });
  const name = (schema: z.ZodType, fallback: string): string => {
    const existing = registry.get(schema)?.id;
    if (existing) return existing;
    const id = names.get(schema) ?? fallback;
    registry.add(schema, { id });
    return id;
  };

  const plan = routes.map((r) => {
    const pascal = r.operationId[0]!.toUpperCase() + r.operationId.slice(1);
    return {
      r,
      params: pathParams(r.path).map((p) => ({ p, id: name(r.params?.[p] ?? z.string(), `${pascal}_${p}`) })),
      query: r.query && name(r.query, `${pascal}Query`),
      body: r.body && name(r.body, `${pascal}Request`),
      responses: Object.entries(r.responses).map(([status, o]) => ({ status, o, id: o.schema && name(o.schema, `${pascal}${status}`) })),
    };
  });
  const { schemas } = z.toJSONSchema(registry, { metadata: registry, io: 'input', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}`, override: tidy });
  for (const s of Object.values(schemas) as Json[]) {
    delete s.$schema;
    delete s.$id;
  }

  const paths: Record<string, Json> = {};
  for (const { r, params, query, body, responses } of plan) {
    const querySchema = query ? (schemas[query] as { properties?: Record<string, Json>; required?: string[] }) : undefined;
    const parameters = [
      ...params.map(({ p, id }) => ({ name: p, in: 'path', required: true, schema: ref(id), ...(r.example?.params?.[p] && { example: r.example.params[p] }) })),
      ...Object.entries(querySchema?.properties ?? {}).map(([q, schema]) => ({
        name: q,
        in: 'query',
        required: querySchema?.required?.includes(q) ?? false,
        schema,
        ...(r.example?.query?.[q] && { example: typed(schema, r.example.query[q]) }),
      })),
    ];
    const out: Json = {};
    for (const { status, o, id } of responses) {
      out[status] = { description: o.description, ...((id || o.contentType) && { content: { [o.contentType ?? 'application/json']: id ? { schema: ref(id) } : {} } }) };
    }
    for (const code of [...(r.errors ?? []), ...commonErrors(r)]) out[String(codeToStatus(code))] ??= { $ref: `#/components/responses/${code}` };
    (paths[openapiPath(r.path)] ??= {})[r.method] = {
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.summary,
      ...(r.description && { description: r.description }),
      security: r.auth === 'key' ? [{ apiKey: [] }] : r.auth === 'admin' ? [{ adminToken: [] }] : [],
      ...(parameters.length > 0 && { parameters }),
      ...(body && { requestBody: { required: !r.bodyOptional, content: { 'application/json': { schema: ref(body), ...(r.example?.body !== undefined && { example: r.example.body }) } } } }),
      responses: out,
    };
  }
  // Query objects are spelled out as parameters; drop their components unless something refers to them.
  const text = JSON.stringify({ paths, schemas });
  for (const { query } of plan) if (query && !text.includes(`"#/components/schemas/${query}"`)) delete schemas[query];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Engram',
      version: VERSION,
      description:
        'Memory for AI agents at the edge: send conversation turns in, and before every model call ask what the ' +
        'model should know now. All JSON. Errors always use one envelope: `{"error": {"code", "message", "request_id"}}`. ' +
        'Answers to API-key requests carry `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds).',
    },
    tags: TAGS,
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        (Object.keys(ERROR_TEXT) as ErrorCode[]).map((code) => [
          code,
          {
            description: `${code}: ${ERROR_TEXT[code]}`,
            ...(code === 'RATE_LIMITED' && { headers: { 'Retry-After': { description: 'Seconds until the window ends.', schema: { type: 'integer', minimum: 1 } } } }),
            content: { 'application/json': { schema: ref('ErrorEnvelope') } },
          },
        ]),
      ),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (`egk_…`), minted by POST /v1/admin/tenants/{tenant}/keys.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN secret; tenant keys are refused.' },
      },
    },
  };
}

/** The committed form of the document (openapi.json): two-space JSON and a final newline, so diffs stay readable. */
export const documentText = () => `${JSON.stringify(buildDocument(), null, 2)}\n`;
