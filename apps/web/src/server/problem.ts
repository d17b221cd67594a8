import 'server-only';
import { APP_ERROR_TABLE, type AppError, type AppErrorCode } from '@flotilla/core';

export function problemType(code: AppErrorCode): string {
  return `urn:flotilla:problem:${code.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/** RFC 9457 problem+json for an AppError: one table decides the status (packages/core errors.ts). */
export function problemResponse(error: AppError): Response {
  const { status, title } = APP_ERROR_TABLE[error.code];
  const body = {
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    ...(error.details.errors ? { errors: error.details.errors } : {}),
    ...(error.details.extra ?? {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (error.details.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(error.details.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}
