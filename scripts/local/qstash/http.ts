/** Small helpers shared by the route modules. */
import type { LocalRequest, LocalResponse } from '../server.js';
import { flattenHeaders } from './publish.js';

export const json = (body: unknown, status = 200): LocalResponse => ({ status, body });
export const error = (message: string, status = 400): LocalResponse => ({ status, body: { error: message } });
export const unsupported = (req: LocalRequest): LocalResponse =>
  error(`local qstash: unsupported endpoint ${req.method} ${req.path}`, 404);

/** Lowercase request headers as single strings. */
export const headersOf = (req: LocalRequest): Record<string, string> => flattenHeaders(req.headers);

/** The publisher's address as QStash would record it; locally the proxy header or loopback. */
export const callerIp = (req: LocalRequest): string =>
  headersOf(req)['x-forwarded-for']?.split(',')[0]?.trim() ?? '127.0.0.1';

/**
 * The path remainder after `prefix`, plus the raw query string: the SDK puts a destination URL into
 * the path unencoded, so the destination's own query string arrives as the request's (§3.2).
 */
export function destinationAfter(req: LocalRequest, prefix: string): string {
  const rest = req.path.slice(prefix.length);
  return req.rawQuery === '' ? rest : `${rest}?${req.rawQuery}`;
}

/** The JSON body as an object, or {} when empty; throws on bad JSON (answered 400 by the caller). */
export function jsonBody(req: LocalRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  const v = req.json();
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
