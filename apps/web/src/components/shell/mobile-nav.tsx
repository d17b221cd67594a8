'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { Sidebar } from './sidebar.tsx';

/**
 * Under 1024 px the sidebar folds into a Menu button that opens it as a drawer: a native modal
 * <dialog>, so focus stays inside, Escape closes it and focus returns to the button. Following a
 * link closes it too.
 */
export function MobileNav() {
  const [isOpen, setIsOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const drawerId = useId();
  const pathname = usePathname();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);
  useEffect(() => setIsOpen(false), [pathname]);

  return (
    <div className="lg:hidden">
      <button
        type="button"
        aria-expanded={isOpen}
        aria-controls={drawerId}
        onClick={() => setIsOpen(true)}
        className="flex items-center gap-1.5 rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true">☰</span>
        Menu
      </button>
      <dialog
        ref={ref}
        id={drawerId}
        aria-label="Navigation"
        onClose={() => setIsOpen(false)}
        onClick={(event) => {
          // A click on the backdrop lands on the <dialog> itself: close, as a drawer does.
          if (event.target === event.currentTarget) setIsOpen(false);
        }}
        className="m-0 h-full max-h-none w-72 max-w-[85vw] border-r border-slate-200 bg-white p-0 text-slate-900 backdrop:bg-slate-950/60 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
      >
        {isOpen ? (
          <div className="relative h-full">
            <button
              type="button"
              onClick={() => setIsOpen(false)}
              aria-label="Close the menu"
              className="absolute top-2 right-2 inline-flex h-9 w-9 items-center justify-center rounded text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              <span aria-hidden="true">✕</span>
            </button>
            <Sidebar />
          </div>
        ) : null}
      </dialog>
    </div>
  );
}
