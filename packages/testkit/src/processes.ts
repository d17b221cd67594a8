import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();
let isExitHookInstalled = false;

function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  // A failing test must not leave API servers or etcd behind: kill whatever is still ours.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export interface ManagedProcess {
  child: ChildProcess;
  /** The last lines it printed, for error messages. */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  hasExited: () => boolean;
}

export function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  installExitHook();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n'));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let hasExited = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      // 'exit' can come before the last lines were read from its pipes: wait for 'close' (all
      // of its output read), but not forever, since a child of its own may hold the pipes.
      const grace = setTimeout(resolve, 5_000);
      child.once('close', () => {
        clearTimeout(grace);
        resolve();
      });
    });
  });
  return {
    child,
    output: () => lines.slice(-40).join('\n'),
    hasExited: () => hasExited,
    stop: async (signal = 'SIGTERM') => {
      if (hasExited) return;
      child.kill(signal);
      // Long enough for a graceful shutdown (the worker waits up to 20 s for active jobs).
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
