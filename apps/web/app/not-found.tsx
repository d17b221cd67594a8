import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-10">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        There is nothing at this address. It may have been deleted, or belong to another workspace.
      </p>
      <Link
        href="/"
        className="mt-4 inline-block font-medium text-teal-800 underline dark:text-teal-300"
      >
        Go to the overview
      </Link>
    </main>
  );
}
