'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { isActive, MAIN_NAV, SETTINGS_NAV, type NavItem } from './nav.ts';

function NavList({ items, pathname }: { items: readonly NavItem[]; pathname: string }) {
  return (
    <ul className="space-y-0.5">
      {items.map((item) => {
        const isCurrent = isActive(item.href, pathname);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={isCurrent ? 'page' : undefined}
              className={`flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium ${
                isCurrent
                  ? 'bg-teal-50 text-teal-900 dark:bg-teal-900/40 dark:text-teal-100'
                  : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-slate-50'
              }`}
            >
              <span aria-hidden="true" className="w-4 text-center">
                {item.icon}
              </span>
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function Sidebar() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex h-full flex-col gap-6 px-3 py-4">
      <Link
        href="/"
        className="flex items-center gap-2 px-2 text-lg font-semibold text-slate-900 dark:text-slate-50"
      >
        <img src="/favicon.svg" alt="" width={24} height={24} />
        Flotilla
      </Link>
      <NavList items={MAIN_NAV} pathname={pathname} />
      <div>
        <h2 className="mb-1 px-2.5 text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">
          Settings
        </h2>
        <NavList items={SETTINGS_NAV} pathname={pathname} />
      </div>
    </nav>
  );
}
