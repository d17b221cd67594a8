import { GitRepoDetailPage } from '@/components/gitrepos/gitrepo-detail-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Git repository' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <GitRepoDetailPage id={id} />;
}
