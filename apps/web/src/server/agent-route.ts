import 'server-only';
import { AppError, authenticateAgent, type AgentPrincipal } from '@flotilla/core';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { webContext } from './context.ts';
import { route, type HandlerResult, type PublicHandlerArgs } from './route.ts';

type AgentHandlerArgs<Body, Query, Params> = Omit<
  PublicHandlerArgs<Body, Query, Params>,
  'principal'
> & { agent: AgentPrincipal };

/**
 * A route of the agent API: the one wrapper (zod, problem+json, errors) with the agent's
 * credential in place of a user's. An unknown, revoked or expired credential is 401; a user's
 * session or API token is not an agent and gets 401 too. The handler sees only `agent`, whose
 * cluster bounds everything it may read or write.
 */
export function agentRoute<Body = undefined, Query = undefined, Params = undefined>(
  spec: { body?: z.ZodType<Body>; query?: z.ZodType<Query>; params?: z.ZodType<Params> },
  handler: (args: AgentHandlerArgs<Body, Query, Params>) => Promise<HandlerResult>,
) {
  return route<Body, Query, Params>({ auth: 'public', ...spec }, async (args) => {
    const agent = await authenticateAgent({
      ctx: webContext().core,
      credential: bearerOf(args.request),
    });
    if (!agent)
      throw new AppError(
        'Unauthorized',
        'an agent credential is required (Authorization: Bearer fla_...); it may have been revoked',
      );
    const { principal: _principal, ...rest } = args;
    return handler({ ...rest, agent });
  });
}

function bearerOf(request: NextRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Where agents reach this installation: FLOTILLA_PUBLIC_URL, else the address the caller used
 * (its Host header; `next start` gives nextUrl a host name of its own). Set the variable in
 * production: a proxy may rewrite Host.
 */
export function publicUrlOf(request: NextRequest): string {
  const configured = webContext().config.FLOTILLA_PUBLIC_URL;
  if (configured) return configured;
  const host = request.headers.get('host');
  return host ? `${request.nextUrl.protocol}//${host}` : request.nextUrl.origin;
}
