import 'server-only';
import {
  AppError,
  authenticate,
  hasPermission,
  isAppError,
  resolveClientAddress,
  toFieldErrors,
  type CoreContext,
  type Permission,
  type Principal,
  type RequestOrigin,
} from '@flotilla/core';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { webContext } from './context.ts';
import { peerAddressOf } from './peer-address.ts';
import { problemResponse } from './problem.ts';
import { readSessionCookie } from './session-cookie.ts';

const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export interface HandlerArgs<Body, Query, Params> {
  ctx: CoreContext;
  principal: Principal;
  body: Body;
  query: Query;
  params: Params;
  request: NextRequest;
  origin: RequestOrigin;
}

export interface PublicHandlerArgs<Body, Query, Params> extends Omit<
  HandlerArgs<Body, Query, Params>,
  'principal'
> {
  principal: Principal | null;
}

export type HandlerResult =
  Response | { status?: number; body: unknown; headers?: Record<string, string> };

interface RouteSpec<Body, Query, Params> {
  /** The least a caller must be allowed; 'public' routes authenticate themselves (login, webhooks, health). */
  auth: Permission | 'public';
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
}

/**
 * The one wrapper every /api/v1 handler goes through: authenticate, authorize, reject
 * cross-site writes, parse params, query and body with zod, call the handler (which calls one
 * use case), and turn every failure into problem+json. Nothing else in a route file.
 */
export function route<Body = undefined, Query = undefined, Params = undefined>(
  spec: RouteSpec<Body, Query, Params> & { auth: Permission },
  handler: (args: HandlerArgs<Body, Query, Params>) => Promise<HandlerResult>,
): (request: NextRequest, context: RouteParams) => Promise<Response>;
export function route<Body = undefined, Query = undefined, Params = undefined>(
  spec: RouteSpec<Body, Query, Params> & { auth: 'public' },
  handler: (args: PublicHandlerArgs<Body, Query, Params>) => Promise<HandlerResult>,
): (request: NextRequest, context: RouteParams) => Promise<Response>;
export function route<Body, Query, Params>(
  spec: RouteSpec<Body, Query, Params>,
  // Each overload narrows `principal`; here it is whatever authentication found.
  handler: (args: never) => Promise<HandlerResult>,
) {
  return async (request: NextRequest, context: RouteParams): Promise<Response> => {
    const { core: ctx, config } = webContext();
    try {
      const origin: RequestOrigin = { ip: clientIp(request) };
      const bearerToken = bearerFrom(request);
      const sessionSecret = bearerToken ? undefined : readSessionCookie(request);
      const principal = await authenticate({
        ctx,
        origin,
        ...(bearerToken ? { bearerToken } : {}),
        ...(sessionSecret ? { sessionSecret } : {}),
        ...(config.FLOTILLA_BOOTSTRAP_TOKEN
          ? { bootstrapToken: config.FLOTILLA_BOOTSTRAP_TOKEN }
          : {}),
      });
      if (spec.auth !== 'public') {
        if (!principal)
          throw new AppError(
            'Unauthorized',
            'authentication required: send a Bearer token or sign in',
          );
        if (!hasPermission(principal.role, spec.auth)) {
          throw new AppError('Forbidden', `your role (${principal.role}) may not do this`);
        }
      }
      // A browser sends the session cookie with cross-site requests too (SameSite=Lax covers
      // only some), and a foreign page can post a login form to sign its victim into the
      // attacker's account: every write not carried by a Bearer token (which no other site
      // can attach) must come from our own pages. Scripts and webhooks send no Origin.
      if (!bearerToken && MUTATING.has(request.method)) {
        assertSameOrigin(request, config.FLOTILLA_PUBLIC_URL, {
          isCookieAuthenticated: principal?.kind === 'user',
        });
      }
      const params = await parseParams(spec.params, await context.params);
      const query = parseQuery(spec.query, request);
      const body = spec.body ? await parseBody(spec.body, request) : (undefined as Body);
      const args: PublicHandlerArgs<Body, Query, Params> = {
        ctx,
        principal,
        body,
        query,
        params,
        request,
        origin,
      };
      const result = await handler(args as never);
      if (result instanceof Response) return result;
      return Response.json(result.body, {
        status: result.status ?? 200,
        headers: result.headers ?? {},
      });
    } catch (error) {
      if (isAppError(error)) return problemResponse(error);
      // The browser went away mid-request (a live preview cancelled by the next keystroke): no
      // one reads the answer, and it is no server failure to log as one.
      if (isClientGone(request, error)) {
        ctx.logger.debug({ path: request.nextUrl.pathname }, 'client closed the request');
        return new Response(null, { status: 499 });
      }
      ctx.logger.error(
        { err: errorSummary(error), method: request.method, path: request.nextUrl.pathname },
        'request failed',
      );
      return problemResponse(
        new AppError('Internal', 'the server failed to handle this request; see the server log'),
      );
    }
  };
}

function isClientGone(request: NextRequest, error: unknown): boolean {
  if (request.signal.aborted) return true;
  return (
    error instanceof Error &&
    error.message === 'aborted' &&
    (error as NodeJS.ErrnoException).code === 'ECONNRESET'
  );
}

function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

function bearerFrom(request: NextRequest): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw new AppError('Unauthorized', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The client, as resolveClientAddress finds it behind FLOTILLA_TRUSTED_PROXIES (if any). */
export function clientIp(request: NextRequest): string | undefined {
  return resolveClientAddress({
    peerAddress: peerAddressOf(request.headers),
    forwardedFor: request.headers.get('x-forwarded-for'),
    trustedProxies: webContext().trustedProxies,
  });
}

function assertSameOrigin(
  request: NextRequest,
  publicUrl: string | undefined,
  { isCookieAuthenticated }: { isCookieAuthenticated: boolean },
): void {
  const origin = request.headers.get('origin');
  const allowed = new Set([request.nextUrl.origin]);
  const host = request.headers.get('host');
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  if (origin && allowed.has(origin)) return;
  if (!origin) {
    // No Origin and no cookie: a script or a webhook, nothing a browser can be tricked into.
    if (!isCookieAuthenticated) return;
    // With a cookie but without Origin (some same-origin form posts), fall back to Sec-Fetch-Site.
    if (request.headers.get('sec-fetch-site') === 'same-origin') return;
  }
  throw new AppError(
    'Forbidden',
    'cross-site request refused: the Origin header does not match this site',
  );
}

async function parseParams<Params>(
  schema: z.ZodType<Params> | undefined,
  raw: Record<string, string | string[] | undefined>,
): Promise<Params> {
  if (!schema) return undefined as Params;
  const parsed = schema.safeParse(raw);
  // A malformed id in the path is the same as a missing object: 404, not 422.
  if (!parsed.success) throw new AppError('NotFound', 'not found');
  return parsed.data;
}

function parseQuery<Query>(schema: z.ZodType<Query> | undefined, request: NextRequest): Query {
  if (!schema) return undefined as Query;
  const raw = Object.fromEntries(request.nextUrl.searchParams.entries());
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues, 'query'));
  return parsed.data;
}

async function parseBody<Body>(schema: z.ZodType<Body>, request: NextRequest): Promise<Body> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) {
    throw new AppError('PayloadTooLarge', `request body over ${MAX_JSON_BODY_BYTES} bytes`);
  }
  const text = await readLimited(request, MAX_JSON_BODY_BYTES);
  const contentType = request.headers.get('content-type') ?? '';
  if (text.length > 0 && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new AppError(
      'UnsupportedMediaType',
      'send the body as JSON with Content-Type: application/json',
    );
  }
  let json: unknown;
  try {
    json = text.length === 0 ? {} : JSON.parse(text);
  } catch (error) {
    throw new AppError('BadRequest', `request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  return parsed.data;
}

/** Reads at most `limit` bytes, refusing more without buffering it (Content-Length can lie). */
export async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new AppError('PayloadTooLarge', `request body over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
