import { GitReposPage } from '@/components/gitrepos/gitrepos-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Git repositories' };

export default function Page() {
  return <GitReposPage />;
}
