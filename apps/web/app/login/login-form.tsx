'use client';

import { safeNext } from '@/client/safe-next.ts';
import { useState, type FormEvent } from 'react';

interface Problem {
  detail?: string;
  errors?: { path: string; message: string }[];
}

type Field = 'email' | 'password';

/**
 * Posts to /api/v1/auth/login; on success the session cookie is set and we go to the overview.
 * With single sign-on configured, a link starts it (a full navigation: the issuer's page).
 */
export function LoginForm({
  isPasswordEnabled,
  isSsoEnabled,
  ssoError,
}: {
  isPasswordEnabled: boolean;
  isSsoEnabled: boolean;
  ssoError: string | null;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(ssoError);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setIsSubmitting(true);
    setError(null);
    setFieldErrors({});
    try {
      const response = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (response.ok) {
        window.location.assign(safeNext(new URLSearchParams(window.location.search).get('next')));
        return;
      }
      const problem = (await response.json().catch(() => ({}))) as Problem;
      const byField: Partial<Record<Field, string>> = {};
      for (const fieldError of problem.errors ?? []) {
        if (fieldError.path === 'email' || fieldError.path === 'password')
          byField[fieldError.path] = fieldError.message;
      }
      setFieldErrors(byField);
      setError(messageFor(response, problem));
    } catch {
      setError('The server did not answer. Check your connection and try again.');
    } finally {
      setIsSubmitting(false);
    }
  };

  const ssoLink = isSsoEnabled ? (
    <a
      href="/api/v1/auth/oidc/login"
      className="block w-full rounded-md border border-slate-300 px-3 py-2 text-center text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 dark:border-slate-600 dark:hover:bg-slate-800"
    >
      Sign in with SSO
    </a>
  ) : null;
  const alert = error ? (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {error}
    </p>
  ) : null;

  if (!isPasswordEnabled) {
    return (
      <div className="space-y-4">
        {alert}
        {ssoLink}
      </div>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-4">
      {ssoLink}
      {error ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      ) : null}
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        error={fieldErrors.email}
      />
      <TextField
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={fieldErrors.password}
      />
      <button
        type="submit"
        disabled={isSubmitting}
        className="w-full rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 disabled:opacity-60"
      >
        {isSubmitting ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function messageFor(response: Response, problem: Problem): string {
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const wait =
      Number.isFinite(seconds) && seconds > 0
        ? ` Try again in ${Math.ceil(seconds / 60)} minute(s).`
        : '';
    return `Too many failed sign-ins.${wait}`;
  }
  if (response.status === 401) return 'Wrong email or password.';
  return problem.detail ?? `Sign-in failed (HTTP ${response.status}).`;
}

function TextField({
  id,
  label,
  type,
  autoComplete,
  value,
  onChange,
  error,
}: {
  id: Field;
  label: string;
  type: 'email' | 'password';
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={id}
        type={type}
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-700 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-950"
      />
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700 dark:text-red-300">
          {label} {error}
        </p>
      ) : null}
    </div>
  );
}
