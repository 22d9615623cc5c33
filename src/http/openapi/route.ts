/**
 * The shape of one entry in the route registry (registry.ts), and `route()` to declare one.
 */
import type { z } from 'zod';
import type { ErrorCode } from '../../errors';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** key: a tenant API key; admin: ADMIN_TOKEN only; none: public. */
export type Auth = 'key' | 'admin' | 'none';

export interface Outcome {
  description: string;
  /** The body's schema; omitted for bodies that are not JSON (say so in `contentType`). */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteDoc<B extends z.ZodType = z.ZodType> {
  /** Unique, camelCase: client generators name methods after it. */
  operationId: string;
  method: Method;
  /** As registered in Hono, `:param` style (the document writes `{param}`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** Path parameters, one schema each, as the handler checks them. */
  params?: Record<string, z.ZodType>;
  /** The query schema (an object, possibly refined), as the handler checks it. */
  query?: z.ZodType;
  body?: B;
  /** The body may be left out (the route reads an empty body as `{}`). */
  bodyOptional?: boolean;
  /** Success answers by status. */
  responses: Record<number, Outcome>;
  /** This route's own error codes; see `commonErrors` in document.ts for the ones added for all. */
  errors?: ErrorCode[];
  /** A request that the route accepts (the worker test sends it with a fresh key). */
  example?: { params?: Record<string, string>; query?: Record<string, string>; body?: z.input<B> };
}

/** Declares one route; the generic ties the example body to the body schema's input type. */
export const route = <B extends z.ZodType = z.ZodType>(doc: RouteDoc<B>): RouteDoc => doc as unknown as RouteDoc;
