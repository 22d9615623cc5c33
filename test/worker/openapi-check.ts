/**
 * Checks a real answer against the OpenAPI registry: the route it came from must document its status,
 * and the body must parse with the documented schema (success) or be the error envelope with one of
 * the route's documented codes. Used by the OpenAPI and client tests.
 */
import { codeToStatus } from '../../src/errors';
import { commonErrors } from '../../src/http/openapi/document';
import { ROUTES } from '../../src/http/openapi/registry';
import { ErrorEnvelope } from '../../src/http/openapi/responses';
import type { RouteDoc } from '../../src/http/openapi/route';

const matcher = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
/** Static paths first, so /v1/memories/search is not taken for /v1/memories/:id. */
const ordered = [...ROUTES].sort((a, b) => (a.path.match(/:/g)?.length ?? 0) - (b.path.match(/:/g)?.length ?? 0));

export function routeFor(method: string, pathname: string): RouteDoc | undefined {
  return ordered.find((r) => r.method === method.toLowerCase() && matcher(r.path).test(pathname));
}

/** null when the answer is as documented, else what is wrong. */
export function undocumented(r: RouteDoc, status: number, body: unknown): string | null {
  const where = `${r.method.toUpperCase()} ${r.path} → ${status}`;
  const success = r.responses[status];
  if (success) {
    if (!success.schema) return null;
    const parsed = success.schema.safeParse(body);
    return parsed.success ? null : `${where}: body does not match the documented schema: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`;
  }
  const codes = [...(r.errors ?? []), ...commonErrors(r)].filter((c) => codeToStatus(c) === status);
  if (codes.length === 0) return `${where}: status not documented`;
  const envelope = ErrorEnvelope.safeParse(body);
  if (!envelope.success) return `${where}: not the error envelope: ${JSON.stringify(body).slice(0, 200)}`;
  return codes.includes(envelope.data.error.code) ? null : `${where}: code ${envelope.data.error.code} not documented`;
}

/** A fetch for the client that asserts every answer against the document before handing it back. */
export function checkedFetch(send: (request: Request) => Promise<Response>, seen: string[]) {
  return async (request: Request): Promise<Response> => {
    const response = await send(request);
    const url = new URL(request.url);
    const r = routeFor(request.method, url.pathname);
    if (!r) throw new Error(`no documented route for ${request.method} ${url.pathname}`);
    const text = await response.clone().text();
    const problem = undocumented(r, response.status, text ? JSON.parse(text) : undefined);
    if (problem) throw new Error(problem);
    seen.push(`${request.method} ${r.path} ${response.status}`);
    return response;
  };
}
