import { MembersPage } from '@/components/settings/members-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Members' };

export default function Page() {
  return <MembersPage />;
}
