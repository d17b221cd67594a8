import { SyncWindowsPage } from '@/components/sync-windows/sync-windows-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sync windows' };

export default function Page() {
  return <SyncWindowsPage />;
}
