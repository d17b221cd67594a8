import { AppError } from '@flotilla/core';
import { problemResponse } from '@/server/problem.ts';

export const dynamic = 'force-dynamic';

function notFound(request: Request): Response {
  const path = new URL(request.url).pathname;
  return problemResponse(
    new AppError('NotFound', `no API endpoint ${request.method} ${path}; see /api/v1/openapi.json`),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
