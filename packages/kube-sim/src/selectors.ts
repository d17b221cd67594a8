import { badRequest } from './api-error.ts';
import { isObject, stringAt, valueAt, type JsonObject } from './json.ts';

/*
 * Label and field selectors in their query-string form, as the API server parses them.
 * (packages/engine has its own parser for Flotilla's cluster selectors; this one follows
 * k8s.io/apimachinery/pkg/labels so list calls fail and match exactly like the server.)
 */

export type LabelRequirement =
  | { key: string; operator: 'exists' | '!exists' }
  | { key: string; operator: '=' | '!=' | 'in' | 'notin'; values: string[] }
  | { key: string; operator: 'gt' | 'lt'; values: [string] };

const TOKEN = /\s*(==|!=|=|!|\(|\)|,|>|<|[^\s!=(),<>]+)/y;

function tokenize(input: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < input.length) {
    const before = TOKEN.lastIndex;
    const match = TOKEN.exec(input);
    if (!match) {
      if (input.slice(before).trim() === '') break;
      throw parseError(`found '${input.slice(before).trim()[0] ?? ''}', expected: identifier`);
    }
    tokens.push(match[1] as string);
  }
  return tokens;
}

function parseError(detail: string) {
  return badRequest(`unable to parse requirement: ${detail}`);
}

const SPECIAL = new Set(['==', '!=', '=', '!', '(', ')', ',', '>', '<']);

function isIdentifier(token: string | undefined): token is string {
  return token !== undefined && !SPECIAL.has(token);
}

export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const requirements: LabelRequirement[] = [];
  let position = 0;
  const next = () => tokens[position++];
  const peek = () => tokens[position];
  while (position < tokens.length) {
    let token = next();
    if (token === '!') {
      const key = next();
      if (!isIdentifier(key))
        throw parseError(`found '${key ?? ''}', expected: identifier after '!'`);
      requirements.push({ key, operator: '!exists' });
    } else if (isIdentifier(token)) {
      const key = token;
      const operator = peek();
      if (operator === undefined || operator === ',') {
        requirements.push({ key, operator: 'exists' });
      } else if (operator === '=' || operator === '==' || operator === '!=') {
        position++;
        const value = peek();
        const isEmptyValue = value === undefined || value === ',';
        if (!isEmptyValue) position++;
        if (!isEmptyValue && !isIdentifier(value))
          throw parseError(`found '${value}', expected: identifier`);
        requirements.push({
          key,
          operator: operator === '!=' ? '!=' : '=',
          values: [isEmptyValue ? '' : value],
        });
      } else if (operator === 'in' || operator === 'notin') {
        position++;
        const open = next();
        if (open !== '(') throw parseError(`found '${open ?? ''}' expected: '('`);
        const values: string[] = [];
        for (token = next(); token !== ')'; token = next()) {
          if (token === undefined) throw parseError("found '', expected: ')'");
          if (token === ',') continue;
          if (!isIdentifier(token))
            throw parseError(`found '${token}', expected: ',', ')' or identifier`);
          values.push(token);
        }
        requirements.push({ key, operator, values });
      } else if (operator === '>' || operator === '<') {
        position++;
        const value = next();
        if (!isIdentifier(value) || !/^-?\d+$/.test(value)) {
          throw parseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        }
        requirements.push({ key, operator: operator === '>' ? 'gt' : 'lt', values: [value] });
      } else {
        throw parseError(`found '${operator}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    } else {
      throw parseError(`found '${token ?? ''}', expected: !, identifier, or 'end of string'`);
    }
    const separator = next();
    if (separator !== undefined && separator !== ',') {
      throw parseError(`found '${separator}', expected: ',' or 'end of string'`);
    }
  }
  return requirements;
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, unknown>,
): boolean {
  return requirements.every((requirement) => {
    const value = labels[requirement.key];
    const has = typeof value === 'string';
    switch (requirement.operator) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case '=':
      case 'in':
        return has && requirement.values.includes(value);
      case '!=':
      case 'notin':
        return !has || !requirement.values.includes(value);
      case 'gt':
        return has && Number(value) > Number(requirement.values[0]);
      case 'lt':
        return has && Number(value) < Number(requirement.values[0]);
    }
  });
}

export interface FieldRequirement {
  field: string;
  isNegated: boolean;
  value: string;
}

/** Field selectors every kind supports, plus the few extra ones of some built-in kinds. */
const EXTRA_FIELDS: Record<string, string[]> = {
  '/Pod': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
  '/Secret': ['type'],
  '/Namespace': ['status.phase'],
  '/Event': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'reason',
    'source',
    'type',
  ],
  '/Node': ['spec.unschedulable'],
};

export function parseFieldSelector(input: string, group: string, kind: string): FieldRequirement[] {
  const supported = [
    'metadata.name',
    'metadata.namespace',
    ...(EXTRA_FIELDS[`${group}/${kind}`] ?? []),
  ];
  return input
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
      if (!match) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
      const [, field = '', operator, value = ''] = match;
      if (!supported.includes(field)) {
        throw badRequest(
          `"${field}" is not a known field selector: only ${supported.map((name) => `"${name}"`).join(', ')}`,
        );
      }
      return { field, isNegated: operator === '!=', value };
    });
}

export function matchesFields(requirements: FieldRequirement[], object: JsonObject): boolean {
  return requirements.every(({ field, isNegated, value }) => {
    const actual = valueAt(object, field.split('.'));
    const text = actual === undefined || actual === null ? '' : String(actual);
    return isNegated ? text !== value : text === value;
  });
}

export function labelsOf(object: JsonObject): Record<string, unknown> {
  const labels = valueAt(object, ['metadata', 'labels']);
  return isObject(labels) ? labels : {};
}

export function namespaceOf(object: JsonObject): string {
  return stringAt(object, ['metadata', 'namespace']) ?? '';
}
