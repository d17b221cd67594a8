// Runs the platform's processes side by side with prefixed output, and stops them together.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { ROOT, say } from './prepare.mjs';

const children = [];
let isStopping = false;

function prefixLines(stream, prefix, target) {
  readline
    .createInterface({ input: stream })
    .on('line', (line) => target.write(`${prefix} | ${line}\n`));
}

/**
 * Each child gets a process group of its own (detached), so stopping it also stops what it
 * spawned: `next start` leaves a next-server holding the port otherwise.
 */
export function startChild(name, command, args, { cwd = ROOT, env = process.env } = {}) {
  const prefix = name.padEnd(6);
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout, prefix, process.stdout);
  prefixLines(child.stderr, prefix, process.stderr);
  const entry = {
    name,
    child,
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    ),
  };
  children.push(entry);
  entry.exited.then(({ code, signal }) => {
    if (isStopping) return;
    say(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
    void stopAll(code === 0 ? 1 : (code ?? 1));
  });
  return entry;
}

export async function stopAll(exitCode = 0) {
  if (isStopping) return;
  isStopping = true;
  say('stopping');
  for (const { child } of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const timer = setTimeout(() => {
    for (const { child } of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 15_000);
  await Promise.all(children.map((entry) => entry.exited));
  clearTimeout(timer);
  say('stopped');
  process.exit(exitCode);
}

export function stopOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));
}
