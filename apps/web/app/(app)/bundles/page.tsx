import { BundlesPage } from '@/components/bundles/bundles-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Bundles' };

export default function Page() {
  return <BundlesPage />;
}
