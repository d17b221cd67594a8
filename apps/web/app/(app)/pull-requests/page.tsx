import { PullRequestsPage } from '@/components/pull-requests/pull-requests-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Pull requests' };

export default function Page() {
  return <PullRequestsPage />;
}
