import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { isHttpStatus, type ClusterClient } from '@flotilla/kube';
import { z } from 'zod';

/** What the agent keeps between restarts. The credential is never logged. */
export interface AgentSecrets {
  url?: string | undefined;
  registrationToken?: string | undefined;
  credential?: string | undefined;
}

export interface CredentialStore {
  load(): Promise<AgentSecrets>;
  /** Keeps the credential and forgets the (now used) registration token. */
  saveCredential(credential: string): Promise<void>;
  describe(): string;
}

const fileSchema = z.object({
  url: z.string().optional(),
  registrationToken: z.string().optional(),
  credential: z.string().optional(),
});

/** Development and tests: a JSON file, readable by its owner only. */
export function fileCredentialStore(path: string): CredentialStore {
  const read = async (): Promise<AgentSecrets> => {
    try {
      return fileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`cannot read the credential file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  return {
    load: read,
    async saveCredential(credential) {
      const { registrationToken: _used, ...rest } = await read();
      const temporary = `${path}.tmp`;
      await writeFile(temporary, JSON.stringify({ ...rest, credential }), { mode: 0o600 });
      await chmod(temporary, 0o600);
      await rename(temporary, path);
    },
    describe: () => `file ${path}`,
  };
}

const secretSchema = z.object({ data: z.record(z.string(), z.string()).default({}) });

/** In a cluster: the Secret the install manifest made (url, registrationToken, credential). */
export function secretCredentialStore(
  client: ClusterClient,
  { namespace, name }: { namespace: string; name: string },
): CredentialStore {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
  return {
    async load() {
      let body: unknown;
      try {
        body = await client.request({ method: 'GET', path });
      } catch (error) {
        if (isHttpStatus(error, 404)) return {};
        throw error;
      }
      const { data } = secretSchema.parse(body);
      const field = (key: string) =>
        data[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8');
      return {
        url: field('url'),
        registrationToken: field('registrationToken'),
        credential: field('credential'),
      };
    },
    async saveCredential(credential) {
      // JSON merge patch: null removes the used registration token from the Secret.
      await client.request({
        method: 'PATCH',
        path,
        contentType: 'application/merge-patch+json',
        body: {
          data: { credential: Buffer.from(credential).toString('base64'), registrationToken: null },
        },
      });
    },
    describe: () => `Secret ${namespace}/${name}`,
  };
}
