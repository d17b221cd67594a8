/**
 * Expected outcomes that end a request or a job early. Each code maps to one HTTP status and
 * RFC 9457 problem type in one table, so every edge answers the same way.
 */
export type AppErrorCode =
  | 'BadRequest'
  | 'ValidationFailed'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'RateLimited'
  | 'Unavailable'
  | 'Internal';

export interface FieldError {
  /** Where the problem is, as a dotted path into the input (`labels.env`, `users[0].user.exec`). */
  path: string;
  message: string;
}

export const APP_ERROR_TABLE: Readonly<Record<AppErrorCode, { status: number; title: string }>> =
  Object.freeze({
    BadRequest: { status: 400, title: 'Bad request' },
    ValidationFailed: { status: 422, title: 'Validation failed' },
    Unauthorized: { status: 401, title: 'Unauthorized' },
    Forbidden: { status: 403, title: 'Forbidden' },
    NotFound: { status: 404, title: 'Not found' },
    Conflict: { status: 409, title: 'Conflict' },
    PayloadTooLarge: { status: 413, title: 'Payload too large' },
    UnsupportedMediaType: { status: 415, title: 'Unsupported media type' },
    RateLimited: { status: 429, title: 'Too many requests' },
    Unavailable: { status: 503, title: 'Service unavailable' },
    Internal: { status: 500, title: 'Internal server error' },
  });

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: {
      errors?: FieldError[];
      retryAfterSeconds?: number;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }

  static validation(errors: FieldError[], message?: string): AppError {
    const summary =
      message ?? errors.map((error) => `${error.path || '(body)'}: ${error.message}`).join('; ');
    return new AppError('ValidationFailed', summary, { errors });
  }

  static notFound(what: string): AppError {
    return new AppError('NotFound', `${what} not found`);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Turns zod-style issues into our field errors: `path` dotted, array indexes in brackets. */
export function toFieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): FieldError[] {
  return issues.map((issue) => ({
    path: formatPath([...(prefix ? [prefix] : []), ...issue.path]),
    message: issue.message,
  }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return text ? `${text}.${name}` : name;
  }, '');
}
