import { ClustersPage } from '@/components/clusters/clusters-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Clusters' };

export default function Page() {
  return <ClustersPage />;
}
