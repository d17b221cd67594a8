import type { GithubConnection } from '@flotilla/db';
import { createGithubConnectionClient, type GithubClient } from '@flotilla/git';
import type { CoreContext } from '../context.ts';
import type { GithubSecret } from './schemas.ts';

/**
 * One client per connection and version of it, per process: an App's installation token is
 * cached inside its client (auth-app), so a new client per job would mint a token per job.
 * A changed connection (new key, new base URL) has a new updatedAt and so a new client.
 */
const clients = new Map<string, GithubClient>();
const MAX_CLIENTS = 500;

export function githubClientFor(
  ctx: Pick<CoreContext, 'secrets'>,
  connection: GithubConnection,
): GithubClient {
  const key = `${connection.id}:${connection.updatedAt.getTime()}`;
  const cached = clients.get(key);
  if (cached) return cached;
  const secret = ctx.secrets.open<GithubSecret>(connection.credential, connection.id);
  const client =
    connection.authKind === 'token' && 'token' in secret
      ? createGithubConnectionClient({
          credentials: { kind: 'token', token: secret.token },
          baseUrl: connection.baseUrl,
          throttleId: connection.id,
        })
      : 'privateKey' in secret && connection.appId && connection.installationId
        ? createGithubConnectionClient({
            credentials: {
              kind: 'app',
              appId: connection.appId,
              privateKey: secret.privateKey,
              installationId: Number(connection.installationId),
            },
            baseUrl: connection.baseUrl,
            throttleId: connection.id,
          })
        : undefined;
  if (!client)
    throw new Error(
      `GitHub connection ${connection.id} does not hold its ${connection.authKind} credential`,
    );
  for (const old of clients.keys()) {
    if (old.startsWith(`${connection.id}:`)) clients.delete(old);
  }
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(key, client);
  return client;
}

/** A token for cloning the repo over HTTPS through its GitHub connection, when it has one. */
export async function githubCloneToken(
  ctx: Pick<CoreContext, 'db' | 'secrets'>,
  gitRepoId: string,
): Promise<string | undefined> {
  const connection = await ctx.db.githubConnection.findUnique({ where: { gitRepoId } });
  if (!connection) return undefined;
  return githubClientFor(ctx, connection).cloneToken();
}
