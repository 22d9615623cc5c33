/**
 * OpenAI's error envelope, made in one place: `{"error": {message, type, param, code}}`.
 * The SDK reads `error.message` into its APIError and picks the subclass from the status alone.
 */
import type { LocalResponse } from '../server.js';

export interface OpenAiErrorDetail {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** The `type` OpenAI uses for each status family, so a scripted 429 looks like a real one. */
export function errorTypeFor(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'invalid_request_error';
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function openAiError(
  status: number,
  message: string,
  detail: { type?: string; param?: string | null; code?: string | null } = {},
): LocalResponse {
  const error: OpenAiErrorDetail = {
    message,
    type: detail.type ?? errorTypeFor(status),
    param: detail.param ?? null,
    code: detail.code ?? null,
  };
  return { status, body: { error } };
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): LocalResponse {
  return openAiError(400, message, { param, code });
}

/** Thrown by request parsers; the route turns it into a 400 in OpenAI's shape. */
export class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  toResponse(): LocalResponse {
    return badRequest(this.message, this.param, this.code);
  }
}
