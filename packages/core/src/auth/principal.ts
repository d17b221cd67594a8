import type { Role } from '@flotilla/db';

/** Who is calling, already authenticated, in which workspace and with which role. */
export interface Principal {
  kind: 'user' | 'token' | 'bootstrap';
  /** User id, token id, or "bootstrap". */
  id: string;
  /** For the audit trail: an email, a token name. Never a secret. */
  label: string;
  workspaceId: string;
  role: Role;
  /** The session this request came with, when it came with one. */
  sessionId?: string;
  /** The user behind a session or a token they created, when known. */
  userId?: string;
}

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip?: string;
}

const RANK: Readonly<Record<Role, number>> = Object.freeze({ viewer: 1, operator: 2, admin: 3 });

/** What each role may do: viewers read, operators change the fleet, admins manage access. */
export type Permission = 'read' | 'operate' | 'administer';

const NEEDS: Readonly<Record<Permission, Role>> = Object.freeze({
  read: 'viewer',
  operate: 'operator',
  administer: 'admin',
});

export function hasPermission(role: Role, permission: Permission): boolean {
  return RANK[role] >= RANK[NEEDS[permission]];
}

export function isRoleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
