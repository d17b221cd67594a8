export interface NavItem {
  href: string;
  label: string;
  icon: string;
}

export const MAIN_NAV: readonly NavItem[] = [
  { href: '/', label: 'Overview', icon: '▦' },
  { href: '/clusters', label: 'Clusters', icon: '⬡' },
  { href: '/cluster-groups', label: 'Cluster groups', icon: '⬢' },
  { href: '/sync-windows', label: 'Sync windows', icon: '◷' },
  { href: '/gitrepos', label: 'Git repos', icon: '⎇' },
  { href: '/bundles', label: 'Bundles', icon: '▤' },
  { href: '/pull-requests', label: 'Pull requests', icon: '⇄' },
  { href: '/events', label: 'Events', icon: '≡' },
  { href: '/notifications', label: 'Notifications', icon: '✉' },
];

export const SETTINGS_NAV: readonly NavItem[] = [
  { href: '/settings/tokens', label: 'API tokens', icon: '⚷' },
  { href: '/settings/members', label: 'Members', icon: '☺' },
  { href: '/settings/audit', label: 'Audit', icon: '⌕' },
];

/** The nav entry a path belongs to: `/clusters/abc` is under Clusters, `/` only matches itself. */
export function isActive(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
