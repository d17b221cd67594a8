import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

/** GitHub's numeric ids (apps, installations), given as a number or a string of digits. */
const githubId = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, 'must be a number'),
  ])
  .transform((value) => String(value));

const baseUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => URL.canParse(value), 'must be a URL such as https://api.github.com')
  .transform((value) => value.replace(/\/+$/, ''));

/** `owner/name` on GitHub; taken from the GitRepo URL when absent. */
const repository = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be OWNER/NAME as on GitHub');

function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

const token = z.string().trim().min(1).max(4096);
const privateKey = z
  .string()
  .max(16 * 1024)
  .refine(
    isRsaPrivateKey,
    "must be the GitHub App's private key (PEM, -----BEGIN RSA PRIVATE KEY-----)",
  );

/**
 * PUT /api/v1/gitrepos/{id}/github: the connection as a whole. The secret (`token`,
 * `privateKey`) may be left out when a connection of the same kind exists: the sealed one stays.
 */
export const githubConnectionInput = z.discriminatedUnion('authKind', [
  z
    .object({
      authKind: z.literal('token'),
      token: token.optional(),
      baseUrl: baseUrl.optional(),
      repository: repository.optional(),
    })
    .strict(),
  z
    .object({
      authKind: z.literal('app'),
      appId: githubId,
      installationId: githubId,
      privateKey: privateKey.optional(),
      baseUrl: baseUrl.optional(),
      repository: repository.optional(),
    })
    .strict(),
]);

export type GithubConnectionInput = z.infer<typeof githubConnectionInput>;

/** What is sealed in GithubConnection.credential. */
export type GithubSecret = { token: string } | { privateKey: string };
