import 'server-only';
import { createMetricsRegistry } from '@flotilla/core';
import { webContext } from './context.ts';

type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;

const globalForMetrics = globalThis as unknown as { flotillaWebMetrics?: MetricsRegistry };

/**
 * The web's Prometheus registry, made on the first scrape and kept on globalThis like the
 * context: Next's dev server reloads modules, and a second registry would register the
 * process metrics twice.
 */
export function webMetricsRegistry(): MetricsRegistry {
  globalForMetrics.flotillaWebMetrics ??= createMetricsRegistry({ ctx: webContext().core });
  return globalForMetrics.flotillaWebMetrics;
}
