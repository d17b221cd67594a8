import { NotificationsPage } from '@/components/notifications/notifications-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Notifications' };

export default function Page() {
  return <NotificationsPage />;
}
