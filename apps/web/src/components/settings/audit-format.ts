import { selectorToText } from '../../client/selectors.ts';
import type { LabelSelector } from '@/client/types.ts';

/** One line of an audit entry's details, in words: "labels: env=prod → env=dev". */
export interface DetailLine {
  label: string;
  text: string;
}

const OBJECT_PAGES: Readonly<Record<string, (id: string) => string>> = {
  cluster: (id) => `/clusters/${id}`,
  gitrepo: (id) => `/gitrepos/${id}`,
  bundle: (id) => `/bundles/${id}`,
  'cluster-group': (id) => `/cluster-groups/${id}`,
  deployment: (id) => `/deployments/${id}`,
  member: () => '/settings/members',
  token: () => '/settings/tokens',
  'notification-rule': () => '/notifications',
  'sync-window': () => '/sync-windows',
};

const OBJECT_WORDS: Readonly<Record<string, string>> = {
  gitrepo: 'git repo',
  'cluster-group': 'cluster group',
  token: 'API token',
  'notification-rule': 'notification rule',
  'sync-window': 'sync window',
};

/** Where the object of an entry can be looked at, when it has a page. */
export function objectHref(objectType: string, objectId: string | null): string | null {
  const page = OBJECT_PAGES[objectType];
  return page && objectId ? page(objectId) : null;
}

export function objectWords(objectType: string): string {
  return OBJECT_WORDS[objectType] ?? objectType.replace(/-/g, ' ');
}

/** The name an entry records for its object (a member or user by email). */
export function objectName(details: unknown): string | null {
  if (!isRecord(details)) return null;
  for (const key of ['name', 'email'] as const) {
    const value = details[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

const ACTOR_WORDS: Readonly<Record<string, string>> = {
  user: 'signed-in user',
  token: 'API token',
  bootstrap: 'bootstrap token',
  system: 'Flotilla itself',
  agent: 'cluster agent',
};

export function actorWords(type: string): string {
  return ACTOR_WORDS[type] ?? type;
}

/** An IPv4 client seen through an IPv6 socket (`::ffff:203.0.113.9`) as the address it is. */
export function formatAddress(ip: string | null): string {
  if (!ip) return 'unknown';
  return ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/**
 * An entry's details as lines a person reads: the object's name is left out (the Object column
 * shows it), `xBefore` / `xAfter` and `from` / `to` become one "before → after" line, labels and
 * selectors read as `key=value`, targets as their fields.
 */
export function detailLines(details: unknown): DetailLine[] {
  if (!isRecord(details)) return [];
  const shownAsName = objectName(details);
  const lines: DetailLine[] = [];
  const used = new Set<string>();
  for (const [key, value] of Object.entries(details)) {
    if (used.has(key)) continue;
    if ((key === 'name' || key === 'email') && value === shownAsName) continue;
    const before = /^(.+)Before$/.exec(key);
    if (before && `${before[1]}After` in details) {
      const afterKey = `${before[1]}After`;
      used.add(afterKey);
      lines.push({
        label: words(before[1]!),
        text: `${formatValue(value, key)} → ${formatValue(details[afterKey], afterKey)}`,
      });
      continue;
    }
    if (key === 'from' && 'to' in details) {
      used.add('to');
      lines.push({
        label: 'changed',
        text: `${formatValue(value, key)} → ${formatValue(details.to, 'to')}`,
      });
      continue;
    }
    lines.push({ label: words(key), text: formatValue(value, key) });
  }
  return lines;
}

/** "labelsBefore" → "labels before", "apiServerUrl" → "API server URL". */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bapi\b/g, 'API')
    .replace(/\burl\b/g, 'URL')
    .replace(/\bca\b/g, 'CA');
}

function formatValue(value: unknown, key: string): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((item) => formatValue(item, key)).join('; ');
  }
  if (isRecord(value)) {
    if (isSelector(value) || /selector$/i.test(key))
      return selectorToText(value as LabelSelector) || 'every cluster';
    const entries = Object.entries(value);
    if (entries.length === 0) return 'none';
    if (entries.every(([, item]) => typeof item === 'string'))
      return entries.map(([name, item]) => `${name}=${String(item)}`).join(', ');
    return entries.map(([name, item]) => `${words(name)} ${formatValue(item, name)}`).join(', ');
  }
  return String(value);
}

function isSelector(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return (
    keys.length > 0 && keys.every((key) => key === 'matchLabels' || key === 'matchExpressions')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
