import type { Metadata } from 'next';
import { webContext } from '@/server/context.ts';
import { LoginForm } from './login-form.tsx';

export const metadata: Metadata = { title: 'Sign in · Flotilla' };
// Which ways to sign in exist is configuration read at run time, not at build time.
export const dynamic = 'force-dynamic';

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { config, oidc } = webContext();
  const { error } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <h1 className="mb-6 text-xl font-semibold">Sign in to Flotilla</h1>
        <LoginForm
          isPasswordEnabled={config.FLOTILLA_LOCAL_LOGIN}
          isSsoEnabled={oidc !== undefined}
          ssoError={typeof error === 'string' ? error : null}
        />
      </div>
    </main>
  );
}
