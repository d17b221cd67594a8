/**
 * Kubernetes' rules for label keys and values (apimachinery `IsQualifiedName` and
 * `IsValidLabelValue`). Each check returns why the text is invalid, or null when it is valid, so
 * both selector forms can word the error around their own position or field path.
 */

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MAX = 63;
const PREFIX_MAX = 253;

const NAME_RULE =
  'must be 63 characters or less, start and end with an alphanumeric character ([A-Za-z0-9]) ' +
  'and contain only "-", "_", "." or alphanumerics in between';

export function labelKeyProblem(key: string): string | null {
  const parts = key.split('/');
  if (parts.length > 2) return 'a label key has at most one "/" (prefix/name)';
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') return 'the prefix before "/" must not be empty';
    if (prefix.length > PREFIX_MAX || !DNS_SUBDOMAIN.test(prefix)) {
      return (
        `the prefix "${prefix}" must be a DNS subdomain: 253 characters or less of lowercase ` +
        'alphanumerics, "-" and ".", starting and ending with an alphanumeric'
      );
    }
  }
  if (name === '') return 'the name part must not be empty';
  if (name.length > NAME_MAX || !NAME_PART.test(name)) return `the name part ${NAME_RULE}`;
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > NAME_MAX || !NAME_PART.test(value)) return `a label value ${NAME_RULE}`;
  return null;
}
