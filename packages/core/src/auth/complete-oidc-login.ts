import type { Prisma, Role } from '@flotilla/db';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { oidcIssuer, type OidcSettings } from './oidc-issuer.ts';
import { isRoleAtLeast, type RequestOrigin } from './principal.ts';
import { openSession, type SignedIn } from './sessions.ts';
import { oidcFlowKey, type OidcFlow } from './start-oidc-login.ts';

const flowSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
});

const identitySchema = z.object({
  sub: z.string().min(1),
  email: z.string().email().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
});

/**
 * The callback of a single sign-on: exchanges the code (with the PKCE verifier), lets
 * openid-client check the ID token (signature, issuer, audience, expiry, nonce) and the state,
 * then admits the user only with a verified email in an allowed domain, and sets their
 * memberships from the groups claim for every workspace the role map names.
 */
export async function completeOidcLogin({
  ctx,
  settings,
  flowId,
  callbackUrl,
  origin,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'now' | 'logger'>;
  settings: OidcSettings;
  flowId: string | undefined;
  callbackUrl: URL;
  origin?: RequestOrigin;
}): Promise<SignedIn> {
  // One use only: GETDEL, so a replayed callback finds no flow.
  const stored = flowId ? await ctx.redis.getdel(oidcFlowKey(flowId)) : null;
  if (!stored) {
    throw new AppError(
      'BadRequest',
      'single sign-on failed: this sign-in was not started in this browser or has expired; start again',
    );
  }
  const flow: OidcFlow = flowSchema.parse(JSON.parse(stored));
  const issuer = await oidcIssuer(settings);
  // The redirect URI sent to the issuer is the one stored, not whatever host this request named.
  const currentUrl = new URL(flow.redirectUri);
  currentUrl.search = callbackUrl.search;
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(issuer, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = { ...tokens.claims() };
    // Some issuers put email or groups only in UserInfo; the subject must match the ID token's.
    if (claims.email === undefined || claims[settings.groupsClaim] === undefined) {
      const userInfo = await oidc.fetchUserInfo(issuer, tokens.access_token, String(claims.sub));
      claims = { ...userInfo, ...claims };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('BadRequest', `single sign-on failed: ${oidcErrorText(error)}`);
  }
  const identity = identitySchema.safeParse(claims);
  if (!identity.success || !identity.data.email) {
    throw new AppError('Forbidden', 'single sign-on failed: the issuer sent no email address');
  }
  if (identity.data.email_verified === false) {
    throw new AppError('Forbidden', 'single sign-on refused: the email address is not verified');
  }
  const email = identity.data.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (settings.allowedDomains.length > 0 && !settings.allowedDomains.includes(domain)) {
    ctx.logger.info({ domain, ip: origin?.ip }, 'single sign-on refused for a domain not allowed');
    throw new AppError(
      'Forbidden',
      `single sign-on refused: accounts of ${domain} may not sign in here`,
    );
  }
  const groups = groupsOf(claims[settings.groupsClaim]);
  const subject = `${settings.issuer} ${identity.data.sub}`;
  const user = await upsertOidcUser({
    ctx,
    subject,
    email,
    name: identity.data.name ?? '',
    grants: grantsFor(settings, groups),
    mappedWorkspaces: [...new Set(settings.roleMap.map((grant) => grant.workspace))],
  });
  if (user.memberships.length === 0) {
    throw new AppError(
      'Forbidden',
      'single sign-on succeeded, but none of your groups gives access to a workspace here',
    );
  }
  return openSession({ ctx, user, origin, method: 'oidc' });
}

function oidcErrorText(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError) return `the issuer said ${error.error}`;
  if (error instanceof oidc.ResponseBodyError) return `the issuer said ${error.error}`;
  // openid-client wraps the check that failed ("unexpected state") as the cause.
  if (error instanceof Error && error.cause instanceof Error) {
    return `${error.message}: ${error.cause.message}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value))
    return value.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

/** The role per workspace name the groups give: the highest when several groups map there. */
function grantsFor(settings: OidcSettings, groups: readonly string[]): Map<string, Role> {
  const grants = new Map<string, Role>();
  for (const grant of settings.roleMap) {
    if (!groups.includes(grant.group)) continue;
    const current = grants.get(grant.workspace);
    if (!current || !isRoleAtLeast(current, grant.role)) grants.set(grant.workspace, grant.role);
  }
  return grants;
}

/**
 * Finds the user by their single sign-on subject, else links the account with the same
 * (verified) email, else creates one without a password; then, in one transaction, makes
 * their memberships in the mapped workspaces match the groups (added, changed, removed).
 * Workspaces the role map does not name keep their memberships as admins set them.
 */
async function upsertOidcUser({
  ctx,
  subject,
  email,
  name,
  grants,
  mappedWorkspaces,
}: {
  ctx: Pick<CoreContext, 'db' | 'now' | 'logger'>;
  subject: string;
  email: string;
  name: string;
  grants: Map<string, Role>;
  mappedWorkspaces: string[];
}) {
  return ctx.db.$transaction(async (tx) => {
    const bySubject = await tx.user.findUnique({ where: { oidcSubject: subject } });
    const byEmail = bySubject ? null : await tx.user.findUnique({ where: { email } });
    if (byEmail?.oidcSubject && byEmail.oidcSubject !== subject) {
      throw new AppError(
        'Forbidden',
        'single sign-on refused: this email belongs to another single sign-on identity',
      );
    }
    const user = bySubject
      ? await tx.user.update({
          where: { id: bySubject.id },
          data: { email, ...(name ? { name } : {}) },
        })
      : byEmail
        ? await tx.user.update({ where: { id: byEmail.id }, data: { oidcSubject: subject } })
        : await tx.user.create({ data: { email, name, passwordHash: '', oidcSubject: subject } });
    const changes: Prisma.AuditEntryCreateManyInput[] = [];
    const workspaces = await tx.workspace.findMany({ where: { name: { in: mappedWorkspaces } } });
    for (const workspace of workspaces) {
      const role = grants.get(workspace.name);
      const existing = await tx.membership.findFirst({
        where: { userId: user.id, workspaceId: workspace.id },
      });
      if (role && existing?.role !== role) {
        if (existing) await tx.membership.update({ where: { id: existing.id }, data: { role } });
        else
          await tx.membership.create({
            data: { userId: user.id, workspaceId: workspace.id, role },
          });
      }
      if (!role && existing) await tx.membership.delete({ where: { id: existing.id } });
      if (role !== existing?.role) {
        changes.push({
          workspaceId: workspace.id,
          actorType: 'system',
          actorLabel: 'single sign-on',
          action: role ? 'member.role-from-groups' : 'member.removed-by-groups',
          objectType: 'user',
          objectId: user.id,
          details: { email, role: role ?? null },
        });
      }
    }
    // Audited in the same transaction as the change (recordAudit takes a full client).
    if (changes.length > 0) await tx.auditEntry.createMany({ data: changes });
    const memberships = await tx.membership.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: 'asc' },
    });
    return { ...user, memberships };
  });
}
