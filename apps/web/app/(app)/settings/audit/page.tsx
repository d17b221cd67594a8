import { AuditPage } from '@/components/settings/audit-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Audit' };

export default function Page() {
  return <AuditPage />;
}
