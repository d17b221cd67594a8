/**
 * Groups calls made close together into one call over all their inputs, the way DataLoader
 * does: thirty deploy jobs running side by side each ask for their row or write their result,
 * and Postgres sees one query for all of them instead of thirty round trips. A call waits at
 * most `waitMs` for company; a failed batch fails every call in it (each job then retries).
 */
export function batched<Input, Output>(
  run: (inputs: readonly Input[]) => Promise<readonly Output[]>,
  { maxSize = 200, waitMs = 50 }: { maxSize?: number; waitMs?: number } = {},
): (input: Input) => Promise<Output> {
  let pending: {
    input: Input;
    resolve: (output: Output) => void;
    reject: (error: unknown) => void;
  }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    const batch = pending;
    pending = [];
    clearTimeout(timer);
    timer = undefined;
    run(batch.map((entry) => entry.input)).then(
      (outputs) => {
        for (const [index, entry] of batch.entries()) entry.resolve(outputs[index] as Output);
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  };

  return (input) =>
    new Promise<Output>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length >= maxSize) flush();
      else timer ??= setTimeout(flush, waitMs);
    });
}

/** One batcher per context (per worker process), made on first use. */
export function perContext<Context extends object, Value>(
  make: (ctx: Context) => Value,
): (ctx: Context) => Value {
  const made = new WeakMap<Context, Value>();
  return (ctx) => {
    let value = made.get(ctx);
    if (value === undefined) {
      value = make(ctx);
      made.set(ctx, value);
    }
    return value;
  };
}
