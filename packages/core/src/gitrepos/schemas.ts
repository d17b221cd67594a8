import { X509Certificate } from 'node:crypto';
import { checkRemoteUrl, GitError } from '@flotilla/git';
import { z } from 'zod';
import { displayName } from '../clusters/schemas.ts';

const gitRef = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine(
    (value) => !value.startsWith('-') && !/[\s~^:?*[\\]|\.\.|@\{/.test(value),
    'is not a valid git branch or revision',
  );

const repoPath = z
  .string()
  .trim()
  .max(1024)
  .refine(
    (value) => !value.startsWith('/') && !value.split('/').includes('..'),
    'must be a path inside the repository (no leading "/", no "..")',
  );

/**
 * One entry of Fleet's user-driven bundle scan (GitRepo spec.bundles): a folder and, optionally,
 * the options file read instead of its fleet.yaml, relative to that folder.
 */
const drivenBundleInput = z
  .object({
    base: repoPath,
    options: repoPath.min(1).optional(),
  })
  .strict();

export const gitAuthInput = z
  .object({
    username: z.string().min(1).max(255).optional(),
    password: z.string().min(1).max(4096).optional(),
    token: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine(
    (auth) => auth.password !== undefined || auth.token !== undefined,
    'give a password or a token',
  );

const paths = z.array(repoPath).max(100);
const drivenBundles = z.array(drivenBundleInput).max(200);
const pollIntervalSeconds = z.number().int().min(10, 'must be at least 10').max(86_400);

/** PEM certificates, each of which parses (a CA bundle). */
function isPemBundle(text: string): boolean {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0 || blocks.length > 100) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

/**
 * Credentials for the Helm repositories and OCI registries this repo's charts come from (Fleet's
 * helmSecretName: username, password, cacerts): Basic auth, or the user and password an OCI
 * registry exchanges for a token; and/or the CA that signed their certificates.
 */
export const helmAuthInput = z
  .object({
    username: z.string().min(1).max(255).optional(),
    password: z.string().min(1).max(4096).optional(),
    /** PEM certificates trusted on top of the system's roots for the repo's chart sources. */
    caBundle: z
      .string()
      .max(256 * 1024)
      .refine(isPemBundle, 'must be PEM certificates (-----BEGIN CERTIFICATE-----)')
      .optional(),
    /**
     * Only charts at or below these locations get the credentials (Fleet's helmRepoURLRegex,
     * as prefixes); all of the repo's chart sources when absent.
     */
    urlPrefixes: z
      .array(
        z
          .string()
          .trim()
          .max(2048)
          .refine(
            (value) =>
              URL.canParse(value) &&
              ['https:', 'http:', 'oci:'].includes(new URL(value).protocol) &&
              new URL(value).host !== '' &&
              !new URL(value).username &&
              !new URL(value).password,
            'must be an https://, http:// or oci:// location without credentials in it',
          ),
      )
      .max(20)
      .optional(),
  })
  .strict()
  .refine((auth) => (auth.username === undefined) === (auth.password === undefined), {
    message: 'give a username and a password together',
    path: ['password'],
  })
  .refine(
    (auth) => auth.username !== undefined || auth.caBundle !== undefined,
    'give a username and password, or a CA bundle',
  );

export const createGitRepoInput = z
  .object({
    name: displayName,
    url: z.string().trim().min(1).max(2048),
    branch: gitRef.optional(),
    revision: gitRef.optional(),
    paths: paths.default([]),
    /** When non-empty, the bundles are exactly these (paths is not walked), as in Fleet. */
    drivenBundles: drivenBundles.default([]),
    targets: z.unknown().optional(),
    pollIntervalSeconds: pollIntervalSeconds.default(60),
    auth: gitAuthInput.optional(),
    helmAuth: helmAuthInput.optional(),
    webhookSecret: z.string().min(8, 'must be at least 8 characters').max(512).optional(),
  })
  .strict();

export const updateGitRepoInput = createGitRepoInput
  .omit({ name: true })
  .partial()
  .extend({
    name: displayName.optional(),
    auth: gitAuthInput.nullable().optional(),
    helmAuth: helmAuthInput.nullable().optional(),
    webhookSecret: z.string().min(8).max(512).nullable().optional(),
    revision: gitRef.nullable().optional(),
    // Without their create defaults: zod 4 applies a default inside .partial(), and an update
    // that leaves a field out must keep it (a rename reset paths to [] before).
    paths: paths.optional(),
    drivenBundles: drivenBundles.optional(),
    pollIntervalSeconds: pollIntervalSeconds.optional(),
  })
  .strict();

export type CreateGitRepoInput = z.input<typeof createGitRepoInput>;
export type UpdateGitRepoInput = z.input<typeof updateGitRepoInput>;
export type GitAuth = z.infer<typeof gitAuthInput>;
export type HelmAuth = z.infer<typeof helmAuthInput>;

/**
 * Repository URLs, checked by @flotilla/git's remote policy (the one the worker applies again,
 * with DNS, before every fetch): https without credentials in it; plain http only to loopback
 * unless the installation allows it; no metadata or refused address; file:// only where the
 * installation allows it (tests, the local demo). Credentials go in `auth`, sealed at rest.
 */
export function gitUrlProblem(
  url: string,
  {
    allowFileUrls,
    allowInsecureHttp = false,
  }: { allowFileUrls: boolean; allowInsecureHttp?: boolean },
): string | null {
  if (!URL.canParse(url)) return 'must be a URL such as https://github.com/org/repo.git';
  if (new URL(url).protocol === 'file:' && !allowFileUrls)
    return 'file:// URLs are not allowed on this installation';
  try {
    checkRemoteUrl(url, { allowFileUrls, allowInsecureHttp });
    return null;
  } catch (error) {
    if (error instanceof GitError) return error.message;
    throw error;
  }
}
