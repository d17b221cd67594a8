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

/** A zod issue, as far as the wording needs it (zod 4's shape, read defensively). */
export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  keys?: unknown;
  values?: unknown;
  format?: unknown;
  issues?: readonly { message: string }[];
}

/**
 * Turns zod-style issues into our field errors: `path` dotted, array indexes in brackets, and
 * zod's own English ("Invalid key in record", "Too small: expected string to have >=1
 * characters") put in plain words. Messages a schema wrote itself are kept as they are.
 */
export function toFieldErrors(issues: readonly IssueLike[], prefix = ''): FieldError[] {
  return issues.flatMap((issue) => {
    const base = [...(prefix ? [prefix] : []), ...issue.path];
    // One error per unknown field, on that field: "tokne: is not a field here".
    if (issue.code === 'unrecognized_keys' && Array.isArray(issue.keys)) {
      return issue.keys.map((key) => ({
        path: formatPath([...base, String(key)]),
        message: 'is not a field this accepts (check its spelling)',
      }));
    }
    return [{ path: formatPath(base), message: plainMessage(issue) }];
  });
}

const ZOD_DEFAULT = /^(Invalid|Too small|Too big|Unrecognized key)/;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  bigint: 'a number',
  date: 'a date',
};

function plainMessage(issue: IssueLike): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  const size = (bound: unknown) => (typeof bound === 'bigint' ? bound.toString() : String(bound));
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return 'is required';
      const expected = typeof issue.expected === 'string' ? issue.expected : '';
      return `must be ${TYPE_WORDS[expected] ?? expected}`;
    }
    case 'invalid_key': {
      const key = issue.path.at(-1);
      const reason = issue.issues?.[0]?.message;
      return `the key "${String(key)}" is not valid${reason ? `: ${reason}` : ''}`;
    }
    case 'invalid_value':
      return Array.isArray(issue.values)
        ? `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`
        : 'is not an allowed value';
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1
          ? 'must not be empty'
          : `must be at least ${size(issue.minimum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `must have at least ${size(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be at least ${size(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${size(issue.maximum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `must have at most ${size(issue.maximum)} items`;
      return `must be at most ${size(issue.maximum)}`;
    case 'invalid_format':
      return typeof issue.format === 'string'
        ? `must be a valid ${issue.format === 'url' ? 'URL' : issue.format}`
        : 'is not in the expected format';
    default:
      return 'is not valid';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return text ? `${text}.${name}` : name;
  }, '');
}
