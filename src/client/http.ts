/**
 * The client's one way to the API: builds the request, sends it through the injected `fetch`, and turns
 * a non-2xx answer into EngramError with the API's error envelope. Plain fetch/Request/Response only,
 * so it runs in Workers, Node ≥ 18 and browsers.
 */
import type { ErrorCode } from '../errors';

/** Anything that sends a Request: the global fetch, a service binding's fetch, or a Worker's handler in tests. */
export type FetchLike = (request: Request) => Promise<Response>;

/**
 * An error answer, as the API's envelope `{error: {code, message, request_id, details?}}` plus the HTTP
 * status. `NETWORK`: no answer at all (status 0). `BAD_RESPONSE`: an answer that was not Engram's JSON
 * (a proxy's error page, say).
 */
export class EngramError extends Error {
  override name = 'EngramError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    readonly request_id: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface TransportOptions {
  /** Where Engram answers, e.g. `https://engram.example.com` (a trailing slash is ignored). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  fetch?: FetchLike;
}

export type Query = Record<string, string | number | boolean | undefined>;

export class Transport {
  private readonly base: string;
  private readonly send: FetchLike;

  constructor(private readonly options: TransportOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    // Called through a wrapper: a bare global fetch called as a method of another object throws in some runtimes.
    this.send = options.fetch ?? ((request) => fetch(request));
  }

  async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(`${this.base}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const request = new Request(url, { method, headers, ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }) });

    let response: Response;
    try {
      response = await this.send(request);
    } catch (err) {
      throw new EngramError(0, 'NETWORK', `${method} ${path}: ${err instanceof Error ? err.message : String(err)}`, '');
    }
    const text = await response.text();
    const requestId = response.headers.get('x-request-id') ?? '';
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new EngramError(response.status, 'BAD_RESPONSE', `${method} ${path}: ${response.status}, not JSON: ${text.slice(0, 200)}`, requestId);
    }
    if (response.ok) return json as T;
    const envelope = (json as { error?: { code?: ErrorCode; message?: string; request_id?: string; details?: unknown } } | undefined)?.error;
    if (!envelope?.code) throw new EngramError(response.status, 'BAD_RESPONSE', `${method} ${path}: ${response.status} without an error envelope`, requestId);
    throw new EngramError(response.status, envelope.code, envelope.message ?? '', envelope.request_id ?? requestId, envelope.details);
  }
}

/** A path segment from caller input: encoded, so an id can never reach another route. */
export const seg = (value: string) => encodeURIComponent(value);
