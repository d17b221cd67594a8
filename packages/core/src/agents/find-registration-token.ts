import { hashSecret } from '../auth/tokens.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { isRegistrationTokenShaped } from './agent-secrets.ts';

/** One answer for unknown, used, expired and revoked tokens: nothing to learn by probing. */
export const REGISTRATION_TOKEN_REFUSED =
  'registration token refused: it is unknown, already used, expired or revoked; issue a new one';

/** A registration token that may still be used, with its cluster; else 401. */
export async function findUsableRegistrationToken({
  ctx,
  token,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  token: string;
}) {
  if (!isRegistrationTokenShaped(token))
    throw new AppError('Unauthorized', REGISTRATION_TOKEN_REFUSED);
  const row = await ctx.db.agentRegistrationToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { cluster: true },
  });
  if (!row || row.usedAt || row.revokedAt || row.expiresAt <= ctx.now())
    throw new AppError('Unauthorized', REGISTRATION_TOKEN_REFUSED);
  return row;
}
