import { ClusterGroupDetailPage } from '@/components/cluster-groups/cluster-group-detail-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Cluster group' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClusterGroupDetailPage id={id} />;
}
