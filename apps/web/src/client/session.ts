'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './api.ts';
import { keys } from './query-keys.ts';
import type { Role, SessionDto } from './types.ts';

const RANK: Readonly<Record<Role, number>> = { viewer: 1, operator: 2, admin: 3 };

/** Mirrors the server's permissions (packages/core principal.ts): the server still decides. */
export type Permission = 'read' | 'operate' | 'administer';

const NEEDS: Readonly<Record<Permission, Role>> = {
  read: 'viewer',
  operate: 'operator',
  administer: 'admin',
};

export function roleAllows(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && RANK[role] >= RANK[NEEDS[permission]];
}

export function useSession() {
  return useQuery({
    queryKey: keys.session,
    queryFn: () => apiFetch<SessionDto>('/auth/session'),
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether the signed-in role may do this; false while the session is loading. */
export function useCan(permission: Permission): boolean {
  const { data } = useSession();
  return roleAllows(data?.role, permission);
}
