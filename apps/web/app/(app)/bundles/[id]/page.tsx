import { BundleDetailPage } from '@/components/bundles/bundle-detail-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Bundle' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BundleDetailPage id={id} />;
}
