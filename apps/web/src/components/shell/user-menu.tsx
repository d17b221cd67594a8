'use client';

import { apiFetch } from '@/client/api.ts';
import type { SessionDto } from '@/client/types.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';

/** Who is signed in, their role here, and sign out. */
export function UserMenu({ session }: { session: SessionDto }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isSigningOut, setIsSigningOut] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);

  const signOut = async () => {
    setIsSigningOut(true);
    try {
      await apiFetch('/auth/logout', { method: 'POST' });
    } finally {
      queryClient.clear();
      window.location.assign('/login');
    }
  };

  const name = session.user?.email ?? session.label;
  return (
    <div ref={rootRef} className="relative">
      <button
        type="button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
        className="flex items-center gap-2 rounded-md border border-slate-300 px-2.5 py-1 text-sm text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800"
      >
        <span className="max-w-[9rem] truncate sm:max-w-[14rem]">{name}</span>
        <span className="hidden text-xs text-slate-600 sm:inline dark:text-slate-400">
          ({session.role})
        </span>
        <span aria-hidden="true">▾</span>
      </button>
      {isOpen ? (
        <div
          id={panelId}
          className="absolute right-0 z-50 mt-1 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="truncate text-sm font-medium text-slate-900 dark:text-slate-50">{name}</p>
          <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
            {session.role} in {session.workspace.name}
          </p>
          <button
            type="button"
            onClick={() => void signOut()}
            disabled={isSigningOut}
            className="w-full rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900 disabled:opacity-60 dark:bg-slate-200 dark:text-slate-900 dark:hover:bg-white"
          >
            {isSigningOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
