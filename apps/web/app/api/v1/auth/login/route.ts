import { signIn } from '@flotilla/core';
import { z } from 'zod';
import { webContext } from '@/server/context.ts';
import { route } from '@/server/route.ts';
import { sessionCookieHeader } from '@/server/session-cookie.ts';

export const dynamic = 'force-dynamic';

export const POST = route(
  {
    auth: 'public',
    body: z.object({ email: z.string().trim().min(1, 'is required').max(320), password: z.string().min(1, 'is required').max(1024) }),
  },
  async ({ ctx, body, origin, request }) => {
    const signedIn = await signIn({ ctx, email: body.email, password: body.password, origin });
    const { config } = webContext();
    const isSecure = request.nextUrl.protocol === 'https:' || Boolean(config.FLOTILLA_PUBLIC_URL?.startsWith('https:'));
    return {
      body: { user: signedIn.user, workspaceId: signedIn.workspaceId },
      headers: { 'set-cookie': sessionCookieHeader(signedIn.sessionSecret, { expiresAt: signedIn.expiresAt, isSecure }) },
    };
  },
);
