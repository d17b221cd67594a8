import { OverviewPage } from '@/components/overview/overview-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Overview' };

export default function Page() {
  return <OverviewPage />;
}
