import { forWorkspace } from '@flotilla/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto.ts';
import type { Principal, RequestOrigin } from './principal.ts';
import type { CreateApiTokenInput } from './schemas.ts';
import { generateApiToken, hashSecret } from './tokens.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * A new API token of the caller's workspace with the given role. The secret is returned this
 * once (`token`) and stored only as its sha256.
 */
export async function createApiToken({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: Pick<CoreContext, 'db' | 'now'>;
  principal: Principal;
  origin?: RequestOrigin;
  input: CreateApiTokenInput;
}): Promise<ApiTokenDto & { token: string; expiresAt: string | null }> {
  const expiresAt =
    input.expiresInDays === undefined
      ? undefined
      : new Date(ctx.now().getTime() + input.expiresInDays * DAY_MS);
  const { token, prefix } = generateApiToken(expiresAt ? { expiresAt } : {});
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.apiToken.create({
    data: {
      workspaceId: principal.workspaceId,
      name: input.name,
      prefix,
      tokenHash: hashSecret(token),
      role: input.role,
      createdById: principal.userId ?? null,
    },
  });
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: 'token.create',
      objectType: 'token',
      objectId: row.id,
      details: {
        name: row.name,
        role: row.role,
        prefix,
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    },
  });
  return { ...toApiTokenDto(row), expiresAt: expiresAt?.toISOString() ?? null, token };
}
