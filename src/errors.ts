/**
 * One error vocabulary for the whole Worker. Domain code throws AppError (never an HTTP exception);
 * the HTTP layer turns it into the envelope with `codeToStatus`.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL';

export function codeToStatus(code: ErrorCode): 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503 | 500 {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    case 'UPSTREAM_UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** True when the same call may succeed later (upstream trouble); jobs answer 5xx so QStash retries. */
    readonly retryable = code === 'UPSTREAM_UNAVAILABLE',
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const invalid = (message: string, details?: unknown) => new AppError('INVALID_INPUT', message, false, details);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);

/** Wraps a failed call to an outside service as a retryable 503, keeping only a short reason. */
export function upstream(service: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('UPSTREAM_UNAVAILABLE', `${service} is unavailable: ${reason.slice(0, 200)}`);
}
