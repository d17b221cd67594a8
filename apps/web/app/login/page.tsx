import type { Metadata } from 'next';
import { LoginForm } from './login-form.tsx';

export const metadata: Metadata = { title: 'Sign in · Flotilla' };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <h1 className="mb-6 text-xl font-semibold">Sign in to Flotilla</h1>
        <LoginForm />
      </div>
    </main>
  );
}
