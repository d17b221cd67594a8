import { PullRequestDetailPage } from '@/components/pull-requests/pull-request-detail-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Pull request preview' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PullRequestDetailPage id={id} />;
}
