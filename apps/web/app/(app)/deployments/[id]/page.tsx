import { DeploymentPage } from '@/components/deployments/deployment-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Deployment' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DeploymentPage id={id} />;
}
