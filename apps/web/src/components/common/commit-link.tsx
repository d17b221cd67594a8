import { commitUrl, shortSha } from '@/client/format.ts';

/** A commit as its short sha, linked to the repository's page for it when there is one. */
export function CommitLink({
  commit,
  template,
}: {
  commit: string | null | undefined;
  template?: string | null | undefined;
}) {
  if (!commit) return <span className="text-slate-600 dark:text-slate-400">none</span>;
  const href = commitUrl(template, commit);
  const text = <code className="font-mono">{shortSha(commit)}</code>;
  if (!href) return <span title={commit}>{text}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      title={commit}
      className="text-teal-800 underline-offset-2 hover:underline dark:text-teal-300"
    >
      {text}
      <span className="sr-only"> (opens the commit in a new tab)</span>
    </a>
  );
}
