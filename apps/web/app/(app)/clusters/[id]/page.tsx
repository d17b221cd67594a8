import { ClusterDetailPage } from '@/components/clusters/cluster-detail-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Cluster' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClusterDetailPage id={id} />;
}
