import type { WorkspaceTx } from '@flotilla/db';
import { hashSecret } from '../auth/tokens.ts';
import { newId } from '../ids.ts';
import { generateRegistrationToken } from './agent-secrets.ts';

const HOUR_MS = 3600_000;

/** What a person is shown once: the token and how to install the agent with it. */
export interface AgentRegistration {
  /** The secret; shown this once, stored only as its sha256. */
  token: string;
  tokenPrefix: string;
  expiresAt: string;
  /** GET it with kubectl: the manifest that installs the agent. */
  installUrl: string;
  installCommand: string;
}

/** The manifest's address; the token in it is single use and expires (docs/AGENT.md). */
export function installUrlFor(publicUrl: string, token: string): string {
  const url = new URL('/api/v1/agent/install.yaml', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/** A new registration token row for an agent cluster, inside the caller's transaction. */
export async function issueRegistrationToken({
  tx,
  workspaceId,
  clusterId,
  createdById,
  expiresInHours,
  now,
  publicUrl,
}: {
  tx: WorkspaceTx;
  workspaceId: string;
  clusterId: string;
  createdById: string | null;
  expiresInHours: number;
  now: Date;
  publicUrl: string;
}): Promise<AgentRegistration & { id: string }> {
  const { token, prefix } = generateRegistrationToken();
  const expiresAt = new Date(now.getTime() + expiresInHours * HOUR_MS);
  const id = newId();
  await tx.agentRegistrationToken.create({
    data: {
      id,
      workspaceId,
      clusterId,
      prefix,
      tokenHash: hashSecret(token),
      expiresAt,
      createdById,
    },
  });
  const installUrl = installUrlFor(publicUrl, token);
  return {
    id,
    token,
    tokenPrefix: prefix,
    expiresAt: expiresAt.toISOString(),
    installUrl,
    installCommand: `kubectl apply -f '${installUrl}'`,
  };
}
