import type { FieldCause } from './api-error.ts';
import { deepEqual, isObject, valueAt, type JsonObject, type JsonValue } from './json.ts';
import type { ResourceType } from './resource-types.ts';

/*
 * The validation errors Flotilla can run into, with the v1.20 messages: object names, label
 * keys and values, workload selectors and templates, Service ports, immutable fields.
 * Everything else is accepted.
 */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function invalidValue(field: string, value: JsonValue | undefined, detail: string): FieldCause {
  const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${shown}: ${detail}` };
}

function required(field: string, detail = ''): FieldCause {
  return {
    reason: 'FieldValueRequired',
    field,
    message: detail === '' ? 'Required value' : `Required value: ${detail}`,
  };
}

function nameProblem(type: ResourceType, name: string): string | undefined {
  if (type.group === 'rbac.authorization.k8s.io') {
    return name === '.' || name === '..' || /[/%]/.test(name)
      ? `may not contain '/' or '%'`
      : undefined;
  }
  if (type.kind === 'Namespace')
    return DNS1123_LABEL.test(name) && name.length <= 63 ? undefined : LABEL_MESSAGE;
  if (type.kind === 'Service' && !type.isCustom) {
    return DNS1035_LABEL.test(name) && name.length <= 63 ? undefined : DNS1035_MESSAGE;
  }
  return DNS1123_SUBDOMAIN.test(name) && name.length <= 253 ? undefined : SUBDOMAIN_MESSAGE;
}

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  if (prefix !== '' && !DNS1123_SUBDOMAIN.test(prefix)) return `prefix part ${SUBDOMAIN_MESSAGE}`;
  if (name.length > 63) return 'name part must be no more than 63 characters';
  return LABEL_NAME.test(name) ? undefined : NAME_PART_MESSAGE;
}

function validateMetadata(type: ResourceType, object: JsonObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = valueAt(object, ['metadata', 'name']);
  if (typeof name !== 'string' || name === '') {
    causes.push(required('metadata.name', 'name or generateName is required'));
  } else {
    const problem = nameProblem(type, name);
    if (problem) causes.push(invalidValue('metadata.name', name, problem));
  }
  const labels = valueAt(object, ['metadata', 'labels']);
  if (isObject(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) causes.push(invalidValue('metadata.labels', key, keyProblem));
      if (
        typeof value !== 'string' ||
        (value !== '' && (!LABEL_NAME.test(value) || value.length > 63))
      ) {
        causes.push(invalidValue('metadata.labels', value, LABEL_VALUE_MESSAGE));
      }
    }
  }
  return causes;
}

function selectorMatchesLabels(
  selector: JsonValue | undefined,
  labels: JsonValue | undefined,
): boolean {
  if (!isObject(selector)) return false;
  const labelMap = isObject(labels) ? labels : {};
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false;
  const byLabels = Object.entries(matchLabels).every(([key, value]) => labelMap[key] === value);
  const byExpressions = expressions.every((expression) => {
    if (!isObject(expression) || typeof expression.key !== 'string') return false;
    const value = labelMap[expression.key];
    const values = Array.isArray(expression.values) ? expression.values : [];
    switch (expression.operator) {
      case 'In':
        return typeof value === 'string' && values.includes(value);
      case 'NotIn':
        return typeof value !== 'string' || !values.includes(value);
      case 'Exists':
        return typeof value === 'string';
      case 'DoesNotExist':
        return typeof value !== 'string';
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

function validateContainers(containers: JsonValue | undefined, field: string): FieldCause[] {
  if (!Array.isArray(containers) || containers.length === 0) return [required(field)];
  return containers.flatMap((container, index) => {
    if (!isObject(container)) return [required(`${field}[${index}]`)];
    const causes: FieldCause[] = [];
    if (typeof container.name !== 'string' || container.name === '')
      causes.push(required(`${field}[${index}].name`));
    if (typeof container.image !== 'string' || container.image === '')
      causes.push(required(`${field}[${index}].image`));
    return causes;
  });
}

function validateWorkload(object: JsonObject, previous: JsonObject | undefined): FieldCause[] {
  const causes: FieldCause[] = [];
  const selector = valueAt(object, ['spec', 'selector']);
  const templateLabels = valueAt(object, ['spec', 'template', 'metadata', 'labels']);
  if (!isObject(selector)) causes.push(required('spec.selector'));
  if (!selectorMatchesLabels(selector, templateLabels)) {
    const shown = isObject(templateLabels)
      ? `map[${Object.entries(templateLabels)
          .map(([k, v]) => `${k}:${String(v)}`)
          .join(' ')}]`
      : 'map[string]string(nil)';
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${shown}: \`selector\` does not match template \`labels\``,
    });
  }
  causes.push(
    ...validateContainers(
      valueAt(object, ['spec', 'template', 'spec', 'containers']),
      'spec.template.spec.containers',
    ),
  );
  if (previous && !deepEqual(valueAt(previous, ['spec', 'selector']), selector)) {
    causes.push(invalidValue('spec.selector', describeSelector(selector), 'field is immutable'));
  }
  return causes;
}

function describeSelector(selector: JsonValue | undefined): string {
  if (!isObject(selector)) return 'null';
  const labels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  return `v1.LabelSelector{MatchLabels:map[string]string{${Object.entries(labels)
    .map(([k, v]) => `"${k}":"${String(v)}"`)
    .join(', ')}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

function validateService(object: JsonObject): FieldCause[] {
  const spec = isObject(object.spec) ? object.spec : {};
  const ports = spec.ports;
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return [];
  return Array.isArray(ports) && ports.length > 0 ? [] : [required('spec.ports')];
}

/** Field errors for a create (no previous) or an update. */
export function validateObject(
  type: ResourceType,
  object: JsonObject,
  previous?: JsonObject,
): FieldCause[] {
  const causes = validateMetadata(type, object);
  if (type.isCustom) return causes;
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
      return [...causes, ...validateWorkload(object, previous)];
    case '/Service':
      return [...causes, ...validateService(object)];
    case '/Pod':
      return [
        ...causes,
        ...validateContainers(valueAt(object, ['spec', 'containers']), 'spec.containers'),
      ];
  }
  return causes;
}
