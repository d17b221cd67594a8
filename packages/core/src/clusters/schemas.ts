import { labelKeyProblem } from '@flotilla/engine';
import { z } from 'zod';

/**
 * Display names are free text (they show in the UI, are escaped there, and are matched exactly
 * by targets' clusterName), bounded and without control characters.
 */
// Control characters (U+0000-U+001F, U+007F) have no place in a name or a label value.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');

/**
 * Label keys follow Kubernetes (`prefix/name`), since selectors and targets match on them.
 * Values may be any printable text up to 253 characters: the string selector syntax can only
 * express Kubernetes-valid values, the object form (matchLabels) can express any.
 */
export const labelsSchema = z
  .record(
    z.string().superRefine((key, ctx) => {
      const problem = labelKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    z
      .string()
      .max(253, 'must be at most 253 characters')
      .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
  )
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');

export type Labels = z.infer<typeof labelsSchema>;

const base64Pem = z
  .string()
  .trim()
  .min(1)
  .refine(
    (value) => /^[A-Za-z0-9+/=\s]+$/.test(value),
    'must be base64 (the certificate-authority-data of a kubeconfig)',
  )
  .refine(
    (value) =>
      Buffer.from(value, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----'),
    {
      error: 'must be a base64-encoded PEM certificate',
    },
  );

export const registerClusterInput = z
  .object({
    name: displayName,
    labels: labelsSchema.default({}),
    apiServerUrl: z.string().trim().min(1, 'is required').max(2048).optional(),
    caData: base64Pem.optional(),
    token: z.string().min(1, 'is required').max(16_384).optional(),
    kubeconfig: z
      .string()
      .min(1, 'must not be empty')
      .max(256 * 1024, 'must be at most 256 KiB')
      .optional(),
    /** Which context of the kubeconfig; its current-context by default. */
    context: z.string().min(1).max(253).optional(),
    /** Only when asked for explicitly; the UI marks such clusters as insecure. */
    insecureSkipTlsVerify: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.kubeconfig !== undefined) {
      for (const field of ['apiServerUrl', 'token', 'caData'] as const) {
        if (input[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'give either a kubeconfig or URL + token, not both',
          });
        }
      }
      return;
    }
    if (input.apiServerUrl === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['apiServerUrl'],
        message: 'is required (or give a kubeconfig)',
      });
    if (input.token === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'is required (or give a kubeconfig)',
      });
  });

export type RegisterClusterInput = z.input<typeof registerClusterInput>;

/**
 * PATCH of a cluster. The connection fields apply to a direct cluster only; the token is
 * write-only (replaced, never read back), and `caData: null` drops a custom CA.
 */
export const updateClusterInput = z
  .object({
    labels: labelsSchema.optional(),
    name: displayName.optional(),
    apiServerUrl: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(2048, 'must be at most 2048 characters')
      .optional(),
    caData: base64Pem.nullable().optional(),
    token: z
      .string()
      .trim()
      .min(1, 'must not be empty (leave it out to keep the current token)')
      .max(16_384, 'must be at most 16384 characters')
      .optional(),
  })
  .strict();

export type UpdateClusterInput = z.input<typeof updateClusterInput>;
