import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../selectors/label-syntax.ts';

/**
 * The options file, `flotilla.yaml` or Fleet's `fleet.yaml`, as written: a compatible subset of
 * Fleet's FleetYAML. Unknown keys are dropped (Fleet files carry many we do not use); known keys
 * with the wrong type are errors, as they are for Fleet's Go decoder. Nulls have been removed
 * before this schema sees the document (Go reads `key:` with no value as absent).
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

// "" is absent as in Go; "-" in a customization clears the bundle's value (Fleet's intent).
const namespaceName = z
  .string()
  .refine((value) => value === '' || value === '-' || DNS_LABEL.test(value), {
    message: 'must be a namespace name (lowercase letters, digits and "-", at most 63)',
  });

const labelMap = z.record(z.string(), z.string()).superRefine((labels, context) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) context.addIssue({ code: 'custom', path: [key], message: problem });
  }
});

// Strict, unlike the rest of the file: a typo such as `matchLabel` would leave an empty
// selector, and an empty selector matches every cluster.
const labelSelector = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z
    .array(
      z
        .strictObject({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        })
        .superRefine(({ key, operator, values = [] }, context) => {
          const keyProblem = labelKeyProblem(key);
          if (keyProblem) context.addIssue({ code: 'custom', path: ['key'], message: keyProblem });
          const needsValues = operator === 'In' || operator === 'NotIn';
          if (needsValues !== values.length > 0) {
            const message = needsValues
              ? `must list at least one value for operator ${operator}`
              : `must be empty for operator ${operator}`;
            context.addIssue({ code: 'custom', path: ['values'], message });
          }
        }),
    )
    .optional(),
});

const intOrPercent = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+%$/, 'must be a whole number or a percentage such as "25%"'),
]);

const comparePatch = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operations: z
    .array(z.object({ op: z.string(), path: z.string().optional(), value: z.string().optional() }))
    .optional(),
  jsonPointers: z.array(z.string()).optional(),
});

const correctDrift = z.union([
  z.boolean().transform((enabled) => ({ enabled })),
  z.object({
    enabled: z.boolean().optional(),
    force: z.boolean().optional(),
    keepFailHistory: z.boolean().optional(),
  }),
]);

const keyRef = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  key: z.string().optional(),
});

// Fleet's ValuesFrom: values read from a ConfigMap or Secret on the target cluster.
const valuesFrom = z
  .strictObject({ configMapKeyRef: keyRef.optional(), secretKeyRef: keyRef.optional() })
  .refine((ref) => (ref.configMapKeyRef === undefined) !== (ref.secretKeyRef === undefined), {
    message: 'must name exactly one of configMapKeyRef and secretKeyRef',
  });

// Fleet's HelmOptions. Loose: fields Fleet reads and we do not (timeoutSeconds,
// disableDependencyUpdate, templateValues) must not fail a file that Fleet accepts.
const helm = z.looseObject({
  chart: z.string().optional(),
  repo: z.string().optional(),
  version: z.string().optional(),
  releaseName: z
    .string()
    .max(53)
    .regex(
      /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'must be a Helm release name (lowercase letters, digits, "-" and ".")',
    )
    .optional(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
  valuesFiles: z.array(z.string().min(1)).optional(),
  valuesFrom: z.array(valuesFrom).optional(),
  takeOwnership: z.boolean().optional(),
  force: z.boolean().optional(),
  maxHistory: z.number().int().nonnegative().optional(),
  atomic: z.boolean().optional(),
  waitForJobs: z.boolean().optional(),
  disablePreProcess: z.boolean().optional(),
  disableDNS: z.boolean().optional(),
  skipSchemaValidation: z.boolean().optional(),
  timeoutSeconds: z.number().int().optional(),
});

/** The options a targetCustomization may override (Fleet's BundleDeploymentOptions). */
const deployOptionFields = {
  defaultNamespace: namespaceName.optional(),
  namespace: namespaceName.optional(),
  kustomize: z.object({ dir: z.string().optional() }).optional(),
  yaml: z.object({ overlays: z.array(z.string().min(1)).optional() }).optional(),
  diff: z.object({ comparePatches: z.array(comparePatch).optional() }).optional(),
  correctDrift: correctDrift.optional(),
  keepResources: z.boolean().optional(),
  takeOwnership: z.boolean().optional(),
  helm: helm.optional(),
};

const targetFields = {
  name: z.string().optional(),
  clusterName: z.string().optional(),
  clusterSelector: labelSelector.optional(),
  clusterGroup: z.string().optional(),
  clusterGroupSelector: labelSelector.optional(),
};

const targetCustomization = z.object({
  ...targetFields,
  ...deployOptionFields,
  doNotDeploy: z.boolean().optional(),
});

const BUNDLE_STATES = [
  'Ready',
  'NotReady',
  'WaitApplied',
  'ErrApplied',
  'OutOfSync',
  'Pending',
  'Modified',
] as const;

const bundleRef = z
  .object({
    name: z.string().optional(),
    selector: labelSelector.optional(),
    acceptedStates: z.array(z.enum(BUNDLE_STATES)).optional(),
  })
  .refine((ref) => Boolean(ref.name) || ref.selector !== undefined, {
    message: "must specify either 'name' or 'selector'",
  });

const partition = z.object({
  ...targetFields,
  maxUnavailable: intOrPercent.optional(),
});

const rolloutStrategy = z.object({
  maxUnavailable: intOrPercent.optional(),
  maxUnavailablePartitions: intOrPercent.optional(),
  autoPartitionSize: intOrPercent.optional(),
  autoPartitionThreshold: z.number().int().nonnegative().optional(),
  maxNew: z.number().int().nonnegative().optional(),
  progressDeadlineSeconds: z.number().int().positive().optional(),
  partitions: z.array(partition).optional(),
});

export const optionsFileSchema = z.object({
  name: z.string().optional(),
  labels: labelMap.optional(),
  ...deployOptionFields,
  paused: z.boolean().optional(),
  allowEmpty: z.boolean().optional(),
  dependsOn: z.array(bundleRef).optional(),
  rolloutStrategy: rolloutStrategy.optional(),
  targets: z.array(targetCustomization).optional(),
  targetCustomizations: z.array(targetCustomization).optional(),
  overrideTargets: z.array(z.object(targetFields)).optional(),
});

export type OptionsFile = z.output<typeof optionsFileSchema>;
export type TargetCustomizationInput = z.output<typeof targetCustomization>;
export type DeployOptionFields = z.output<z.ZodObject<typeof deployOptionFields>>;
