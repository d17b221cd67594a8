import type { GitLogger } from '../src/types.ts';

export interface LogLine {
  level: 'debug' | 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps every line, so tests can check what would have been written. */
export function capturingLogger(): {
  logger: GitLogger;
  lines: LogLine[];
  text: () => string;
  gitArgs: () => string[][];
} {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn') },
    lines,
    text: () => JSON.stringify(lines),
    // Every argument vector git was started with: what `ps` would show.
    gitArgs: () =>
      lines
        .filter((line) => line.message === 'running git')
        .map((line) => line.fields.args as string[]),
  };
}

/** The rejection of `promise`, for asserting on a typed error's fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
