'use client';

import { useState } from 'react';
import { Button } from './button.tsx';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button onClick={() => void copy()}>{label}</Button>
      <span role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {status === 'copied'
          ? '✓ Copied'
          : status === 'failed'
            ? 'Copy failed: select the text and copy it'
            : ''}
      </span>
    </span>
  );
}
