import { z } from 'zod';
import { EngineError } from '../errors.ts';
import type { LabelSelector, LabelSelectorRequirement } from '../types.ts';
import { labelKeyProblem, labelValueProblem } from './label-syntax.ts';

const STRING_ONLY = 'must be a string (quote numbers and booleans in YAML)';

const labelKey = z.string({ error: STRING_ONLY }).superRefine((key, context) => {
  const problem = labelKeyProblem(key);
  if (problem)
    context.addIssue({ code: 'custom', message: `invalid label key "${key}": ${problem}` });
});

const labelValue = z.string({ error: STRING_ONLY }).superRefine((value, context) => {
  const problem = labelValueProblem(value);
  if (problem)
    context.addIssue({ code: 'custom', message: `invalid label value "${value}": ${problem}` });
});

const requirementSchema = z
  .strictObject({
    key: labelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], {
      error: 'must be one of In, NotIn, Exists, DoesNotExist',
    }),
    // YAML `values:` with nothing after it is null; Kubernetes reads that as absent.
    values: z.array(labelValue, { error: 'must be a list of strings' }).nullish(),
  })
  .superRefine((requirement, context) => {
    const count = requirement.values?.length ?? 0;
    const needsValues = requirement.operator === 'In' || requirement.operator === 'NotIn';
    if (needsValues && count === 0) {
      context.addIssue({
        code: 'custom',
        path: ['values'],
        message: `must list at least one value for operator ${requirement.operator}`,
      });
    }
    if (!needsValues && count > 0) {
      context.addIssue({
        code: 'custom',
        path: ['values'],
        message: `must be empty for operator ${requirement.operator}`,
      });
    }
  });

// Unknown fields are refused: a typo such as `matchLabel` would otherwise leave an empty
// selector, and an empty selector matches every cluster.
const labelSelectorSchema = z.strictObject(
  {
    matchLabels: z
      .record(z.string(), labelValue, { error: 'must be a map of label key to value' })
      // Checked here rather than as the record's key schema so the error names the key itself.
      .superRefine((labels, context) => {
        for (const key of Object.keys(labels)) {
          const problem = labelKeyProblem(key);
          if (problem) {
            context.addIssue({
              code: 'custom',
              path: [key],
              message: `invalid label key "${key}": ${problem}`,
            });
          }
        }
      })
      .nullish(),
    matchExpressions: z.array(requirementSchema, { error: 'must be a list' }).nullish(),
  },
  { error: 'a label selector must be an object with matchLabels and/or matchExpressions' },
);

/**
 * Validates the object form of a label selector (Kubernetes' metav1.LabelSelector) and returns
 * it without nulls. Errors name the field path, prefixed with `at` when given (for example
 * `clusterSelector.matchExpressions[0].values`).
 */
export function parseLabelSelector(input: unknown, at = ''): LabelSelector {
  const result = labelSelectorSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, at));
    const first = problems[0] ?? { path: at, message: 'invalid label selector' };
    const message = problems
      .map((problem) => `${problem.path || 'selector'}: ${problem.message}`)
      .join('; ');
    throw new EngineError('SelectorInvalid', `Invalid label selector: ${message}`, first.path);
  }
  const selector: LabelSelector = {};
  const { matchLabels, matchExpressions } = result.data;
  if (matchLabels) selector.matchLabels = { ...matchLabels };
  if (matchExpressions) {
    selector.matchExpressions = matchExpressions.map((expression): LabelSelectorRequirement => {
      const requirement: LabelSelectorRequirement = {
        key: expression.key,
        operator: expression.operator,
      };
      if (expression.values && expression.values.length > 0)
        requirement.values = [...expression.values];
      return requirement;
    });
  }
  return selector;
}

function describeIssue(issue: z.core.$ZodIssue, at: string): { path: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const [key] = issue.keys;
    return { path: formatPath(at, [...issue.path, key ?? '']), message: 'unknown field' };
  }
  return { path: formatPath(at, issue.path), message: issue.message };
}

function formatPath(at: string, segments: readonly PropertyKey[]): string {
  let path = at;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) {
      path += path === '' ? segment : `.${segment}`;
    } else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path;
}
