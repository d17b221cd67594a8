import type { GithubConnection } from '@flotilla/db';
import { createGithubConnectionClient, type GithubClient } from '@flotilla/git';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';

/** The sealed credential of a GitHub connection: { token } or { privateKey } (schema.prisma). */
const sealedCredential = z.union([
  z.object({ token: z.string().min(1) }),
  z.object({ privateKey: z.string().min(1) }),
]);

/**
 * Clients for previews, one per connection version and process: an App's installation token is
 * cached inside its client, so a client per job would mint a token per job. A changed connection
 * (new key, new base URL) has a new updatedAt and so a new client.
 */
const clients = new Map<string, GithubClient>();
const MAX_CLIENTS = 200;

export function pullRequestGithubClient(
  ctx: Pick<CoreContext, 'secrets'>,
  connection: GithubConnection,
): GithubClient {
  const key = `${connection.id}:${connection.updatedAt.getTime()}`;
  const cached = clients.get(key);
  if (cached) return cached;
  const secret = sealedCredential.parse(
    ctx.secrets.open<unknown>(connection.credential, connection.id),
  );
  let client: GithubClient;
  if ('token' in secret) {
    client = createGithubConnectionClient({
      credentials: { kind: 'token', token: secret.token },
      baseUrl: connection.baseUrl,
    });
  } else {
    if (!connection.appId || !connection.installationId)
      throw new Error(`GitHub connection ${connection.id} has no app id or installation`);
    client = createGithubConnectionClient({
      credentials: {
        kind: 'app',
        appId: connection.appId,
        privateKey: secret.privateKey,
        installationId: Number(connection.installationId),
      },
      baseUrl: connection.baseUrl,
    });
  }
  for (const old of clients.keys()) if (old.startsWith(`${connection.id}:`)) clients.delete(old);
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(key, client);
  return client;
}
