/**
 * GET /openapi.json and /docs: the document is valid enough to use, covers exactly the routes the app
 * registers (Hono `:param` ↔ OpenAPI `{param}`), and every example in it passes the route's own zod
 * schemas and is accepted by the running Worker, answering as documented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { openapiPath } from '../../src/http/openapi/document';
import { ROUTES, UNDOCUMENTED_PREFIXES } from '../../src/http/openapi/registry';
import type { RouteDoc } from '../../src/http/openapi/route';
import { call, drainQueue, local, mintKey, qstash, scriptLlm } from './helpers';
import { undocumented } from './openapi-check';

interface Operation {
  operationId: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: 'path' | 'query'; required: boolean; example?: unknown }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

let doc: Doc;
let key: string;
const minted: string[] = [];
beforeAll(async () => {
  const res = await call('GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.json;
  ({ key } = await mintKey());
  await scriptLlm([]);
});
afterAll(async () => {
  await drainQueue();
  await call('DELETE', '/v1/memories?user_id=alice', { key });
  for (const id of minted) await call('DELETE', `/v1/admin/keys/${id}`, { key: local.tokens.admin });
});

const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
const registryEntry = (path: string, method: string) => ROUTES.find((r) => openapiPath(r.path) === path && r.method === method) as RouteDoc;

/** The example request an operation carries, as the document spells it. */
function exampleOf(path: string, op: Operation) {
  const params = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, String(p.example)]));
  const query = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, String(p.example)]));
  const body = op.requestBody?.content['application/json']?.example;
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!)) + (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');
  return { params, query, body, url };
}

describe('the document', () => {
  it('is OpenAPI 3.1 with paths, schemas, error responses and both bearer schemes, and every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Engram', version: expect.any(String) });
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' }, adminToken: { type: 'http', scheme: 'bearer' } });
    expect(doc.components.schemas).toHaveProperty('ErrorEnvelope');
    expect(doc.components.responses).toHaveProperty('NOT_FOUND');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(20);
    for (const [, section, name] of refs) expect(doc.components[section!], `${section}/${name}`).toHaveProperty(name!);
  });

  it('describes request inputs, not parsed outputs: times as ISO text or epoch ms, defaulted fields optional', () => {
    expect(doc.components.schemas!.Time).toMatchObject({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', minimum: 0 }] });
    const add = doc.components.schemas!.AddMemories as { required: string[]; properties: Record<string, { default?: unknown }> };
    expect(add.required).toEqual(['messages']);
    expect(add.properties.mode!.default).toBe('async');
  });

  it('documents every route the app registers, with the same method and path, and nothing else', () => {
    const registered = buildApp()
      .routes.filter((r) => r.method !== 'ALL' && !UNDOCUMENTED_PREFIXES.some((p) => r.path.startsWith(p)))
      .map((r) => `${r.method} ${openapiPath(r.path)}`);
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect([...new Set(registered)].sort()).toEqual([...documented].sort());
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves an HTML reference at /docs that loads the document', async () => {
    const res = await call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.json).toMatch(/<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/@scalar\/api-reference@1">/);
    expect(res.json).toMatch(/openapi\.json/);
  });
});

describe('every example', () => {
  it('passes the zod schemas the route validates with', () => {
    for (const { path, method, op } of operations()) {
      const r = registryEntry(path, method);
      const { params, query, body } = exampleOf(path, op);
      for (const [name, schema] of Object.entries(r.params ?? {})) expect(schema.safeParse(params[name]).success, `${method} ${path} param ${name}`).toBe(true);
      if (r.query) expect(r.query.safeParse(query).error, `${method} ${path} query`).toBeUndefined();
      if (r.body) expect(r.body.safeParse(body).error, `${method} ${path} body`).toBeUndefined();
    }
  });

  it('is accepted by the Worker with a fresh key, and answered as documented', async () => {
    for (const { path, method, op } of operations()) {
      const r = registryEntry(path, method);
      const { body, url } = exampleOf(path, op);
      const auth = r.auth === 'key' ? key : r.auth === 'admin' ? local.tokens.admin : undefined;
      const res = await call(method.toUpperCase(), url, { ...(auth && { key: auth }), ...(body !== undefined && { body }) });
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.json)}`).not.toBe(400);
      expect(op.responses, `${method} ${path}`).toHaveProperty(String(res.status));
      expect(undocumented(r, res.status, res.json)).toBeNull();
      if (r.operationId === 'mintKey') minted.push(res.json.key_id);
      // Live cron schedules would keep firing into every later drainQueue() of the run: remove them.
      if (r.operationId === 'ensureSchedules') for (const s of res.json.schedules) await qstash('DELETE', `/v2/schedules/${s.id}`);
    }
  });

  it('is refused without credentials where the document asks for them, and admin routes refuse a tenant key', async () => {
    for (const { path, method, op } of operations()) {
      const r = registryEntry(path, method);
      if (r.auth === 'none') {
        expect(op.security).toEqual([]);
        continue;
      }
      const { body, url } = exampleOf(path, op);
      const anonymous = await call(method.toUpperCase(), url, { ...(body !== undefined && { body }) });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(undocumented(r, anonymous.status, anonymous.json)).toBeNull();
      if (r.auth === 'admin') expect((await call(method.toUpperCase(), url, { key })).status).toBe(403);
    }
  });
});
