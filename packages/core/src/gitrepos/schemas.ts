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

export const createGitRepoInput = z
  .object({
    name: displayName,
    url: z.string().trim().min(1).max(2048),
    branch: gitRef.optional(),
    revision: gitRef.optional(),
    paths: z.array(repoPath).max(100).default([]),
    targets: z.unknown().optional(),
    pollIntervalSeconds: z.number().int().min(10, 'must be at least 10').max(86_400).default(60),
    auth: gitAuthInput.optional(),
    webhookSecret: z.string().min(8, 'must be at least 8 characters').max(512).optional(),
  })
  .strict();

export const updateGitRepoInput = createGitRepoInput
  .omit({ name: true })
  .partial()
  .extend({
    name: displayName.optional(),
    auth: gitAuthInput.nullable().optional(),
    webhookSecret: z.string().min(8).max(512).nullable().optional(),
    revision: gitRef.nullable().optional(),
  })
  .strict();

export type CreateGitRepoInput = z.input<typeof createGitRepoInput>;
export type UpdateGitRepoInput = z.input<typeof updateGitRepoInput>;
export type GitAuth = z.infer<typeof gitAuthInput>;

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
