/**
 * The dashboard's one way to call /api/v1: JSON in and out, and every non-2xx answer thrown as
 * a ProblemError carrying the RFC 9457 body (status, detail, field errors by path), so forms can
 * put each message next to its field.
 */

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }

  /** The first message for a field, matching its path exactly or as a prefix (`kubeconfig.users[0]...`). */
  fieldError(path: string): string | undefined {
    return this.errors.find((error) => isUnder(error.path, path))?.message;
  }

  /** Field errors whose path is not one of `known` (shown together above the form). */
  otherErrors(known: readonly string[]): FieldError[] {
    return this.errors.filter((error) => !known.some((path) => isUnder(error.path, path)));
  }
}

function isUnder(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

export function isProblemError(error: unknown): error is ProblemError {
  return error instanceof ProblemError;
}

function asProblem(status: number, statusText: string, body: unknown): Problem {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const errors = Array.isArray(record.errors)
      ? record.errors.flatMap((entry): FieldError[] => {
          if (!entry || typeof entry !== 'object') return [];
          const { path, message } = entry as Record<string, unknown>;
          return typeof message === 'string'
            ? [{ path: typeof path === 'string' ? path : '', message }]
            : [];
        })
      : [];
    return {
      type: typeof record.type === 'string' ? record.type : 'about:blank',
      title: typeof record.title === 'string' ? record.title : statusText,
      status,
      detail: typeof record.detail === 'string' ? record.detail : statusText,
      errors,
    };
  }
  return { type: 'about:blank', title: statusText, status, detail: `${status} ${statusText}` };
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.json === undefined ? 'GET' : 'POST', json, signal } = options;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers:
        json === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ProblemError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'the server could not be reached; check your connection',
    });
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) throw new ProblemError(asProblem(response.status, response.statusText, body));
  return body as T;
}

/** Builds `?a=1&b=2` from the given values, leaving out empty ones. */
export function queryString(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
