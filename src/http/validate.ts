/** Reading request input: size limit first, then JSON, then the schema — every failure in the envelope. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, invalid } from '../errors';

export const MAX_BODY_BYTES = 1_048_576;

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`Invalid ${what}: ${describe(parsed.error)}`, parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}

/** The raw body as text, refusing bodies over `max` bytes (by header and by actual size). */
export async function rawBody(c: Context, max = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > max) throw new AppError('PAYLOAD_TOO_LARGE', `Request body is over the ${max}-byte limit.`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > max) throw new AppError('PAYLOAD_TOO_LARGE', `Request body is over the ${max}-byte limit.`);
  return text;
}

/** The body parsed and checked; `opts.empty` is what an empty body stands for (else it is invalid JSON). */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T, opts: { empty?: unknown } = {}): Promise<z.output<T>> {
  const text = await rawBody(c);
  let value: unknown;
  try {
    value = 'empty' in opts && text.trim() === '' ? opts.empty : JSON.parse(text);
  } catch {
    throw invalid('Request body must be valid JSON.');
  }
  return check(schema, value, 'request body');
}

export function queryParams<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return check(schema, c.req.query(), 'query parameters');
}
