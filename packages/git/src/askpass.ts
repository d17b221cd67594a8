import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RemoteUrl } from './remote-url.ts';
import type { GitAuth } from './types.ts';

/**
 * git runs GIT_ASKPASS with its prompt as the only argument and reads the answer from stdout.
 * The script holds no secret: it echoes environment variables that only this git process has.
 * It answers only prompts for the host being fetched, so if the server redirects git to another
 * host (http.followRedirects), that host gets no password.
 */
const ASKPASS_SCRIPT = `#!/bin/sh
host="$FLOTILLA_GIT_HOST"
user="$FLOTILLA_GIT_USERNAME"
case "$1" in
  "Username for 'https://$host': " | "Username for 'http://$host': ")
    printf '%s\\n' "$user" ;;
  "Password for 'https://$user@$host': " | "Password for 'http://$user@$host': ")
    printf '%s\\n' "$FLOTILLA_GIT_PASSWORD" ;;
  *)
    exit 1 ;;
esac
`;

/** GitHub's convention for a token sent over basic auth (installation and personal tokens alike). */
export const TOKEN_USERNAME = 'x-access-token';

export interface Askpass {
  /** Environment for git: the helper's path and the credentials it echoes. */
  env: Record<string, string>;
  dispose: () => Promise<void>;
}

/** The username and password git will send, or undefined when there are no credentials. */
export function basicCredentials(
  auth: GitAuth | undefined,
): { username: string; password: string } | undefined {
  if (!auth) return undefined;
  const password = auth.password ?? auth.token;
  if (password === undefined || password === '') return undefined;
  return { username: auth.username || TOKEN_USERNAME, password };
}

/** Writes the helper into a fresh private (0700) folder, for one fetch. */
export async function createAskpass(
  remote: RemoteUrl,
  credentials: { username: string; password: string },
): Promise<Askpass> {
  const folder = await mkdtemp(path.join(tmpdir(), 'flotilla-askpass-'));
  const script = path.join(folder, 'askpass.sh');
  await writeFile(script, ASKPASS_SCRIPT, { mode: 0o700 });
  await chmod(script, 0o700);
  return {
    env: {
      GIT_ASKPASS: script,
      FLOTILLA_GIT_HOST: remote.authority,
      FLOTILLA_GIT_USERNAME: credentials.username,
      FLOTILLA_GIT_PASSWORD: credentials.password,
    },
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
