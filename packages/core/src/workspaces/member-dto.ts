import type { Membership, Role, User } from '@flotilla/db';

export interface MemberDto {
  /** The membership's id: what /members/{id} takes. */
  id: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export function toMemberDto(
  membership: Membership & { user: Pick<User, 'email' | 'name'> },
): MemberDto {
  return {
    id: membership.id,
    userId: membership.userId,
    email: membership.user.email,
    name: membership.user.name,
    role: membership.role,
    createdAt: membership.createdAt.toISOString(),
  };
}

export const memberUserFields = { select: { email: true, name: true } } as const;
