import { EventsPage } from '@/components/events/events-page.tsx';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Events' };

export default function Page() {
  return <EventsPage />;
}
