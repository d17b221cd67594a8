import { AppError, handleGithubPush } from '@flotilla/core';
import { correlationIdFrom, withCorrelationId } from '@flotilla/jobs';
import { readLimited, route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

/** GitHub caps deliveries at 25 MB; a push event is far smaller. Read no more than this. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

export const POST = route({ auth: 'public' }, async ({ ctx, request }) => {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_WEBHOOK_BYTES)
    throw new AppError('PayloadTooLarge', `webhook body over ${MAX_WEBHOOK_BYTES} bytes`);
  const rawBody = await readLimited(request, MAX_WEBHOOK_BYTES);
  const deliveryId = request.headers.get('x-github-delivery');
  // The delivery id (a UUID) follows the push through git-sync, render, plan and deploy, so the
  // worker's logs can be searched by what GitHub shows under Recent Deliveries.
  const result = await withCorrelationId(correlationIdFrom(deliveryId), () =>
    handleGithubPush({
      ctx,
      delivery: {
        rawBody,
        signature: request.headers.get('x-hub-signature-256'),
        deliveryId,
        event: request.headers.get('x-github-event'),
      },
    }),
  );
  return {
    status: 202,
    body: { status: result.duplicate ? 'duplicate' : 'accepted', repos: result.accepted },
  };
});
