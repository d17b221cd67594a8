import { ClusterGroupsPage } from '@/components/cluster-groups/cluster-groups-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Cluster groups' };

export default function Page() {
  return <ClusterGroupsPage />;
}
