import { TokensPage } from '@/components/settings/tokens-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'API tokens' };

export default function Page() {
  return <TokensPage />;
}
