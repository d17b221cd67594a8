import { AppShell } from '@/components/shell/app-shell.tsx';
import type { ReactNode } from 'react';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
