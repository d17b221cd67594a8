import { shortSha } from '@/client/format.ts';
import type { RenderDto } from '@/client/types.ts';
import { Facts } from '@/components/ui/layout.tsx';
import { customizationLabel, describeChartSource, locationText } from './chart-source.ts';

/**
 * A failed render, loud: which copy, at which commit, and the template file and line first
 * (Helm's messages bury them in a long line), then the whole message.
 */
export function RenderErrorAlert({ render, note }: { render: RenderDto; note?: string }) {
  if (!render.error) return null;
  const { locations, message } = render.error;
  return (
    <div
      role="alert"
      data-testid="render-error"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
    >
      <p className="font-medium">
        <span aria-hidden="true">✗ </span>
        {customizationLabel(render.customization)} failed to render at commit{' '}
        <code className="font-mono" title={render.commit}>
          {shortSha(render.commit)}
        </code>
        {render.copies > 1 ? ` on ${render.copies} clusters` : ''}
        {note ? `; ${note}` : ''}
      </p>
      {locations.length > 0 ? (
        <ul aria-label="Template locations" className="my-1 flex flex-wrap gap-2">
          {locations.map((location) => (
            <li key={locationText(location)}>
              <code
                data-testid="template-location"
                className="rounded bg-red-100 px-1.5 py-0.5 font-mono text-base font-semibold ring-1 ring-red-300 ring-inset dark:bg-red-900/60 dark:ring-red-700"
              >
                {locationText(location)}
              </code>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="font-mono text-xs break-words whitespace-pre-wrap">{message}</p>
    </div>
  );
}

/** The chart a copy rendered and its values (secrets already masked by the server). */
export function ChartAndValues({ render, heading }: { render: RenderDto; heading?: string }) {
  if (!render.chart) return null;
  const { chart } = render;
  const testId = `chart-values-${customizationLabel(render.customization)}`;
  return (
    <div data-testid={testId} className="space-y-3">
      {heading ? (
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-50">{heading}</h3>
      ) : null}
      <Facts
        items={[
          [
            'Chart',
            <span key="chart" data-testid="chart-name">
              <code className="font-mono">{chart.name}</code> {chart.version}
              {chart.appVersion ? (
                <span className="text-slate-600 dark:text-slate-400">
                  {' '}
                  (app {chart.appVersion})
                </span>
              ) : null}
            </span>,
          ],
          [
            'Source',
            <code key="source" data-testid="chart-source" className="font-mono break-all">
              {describeChartSource(chart.source)}
            </code>,
          ],
          [
            'Revision',
            render.revision ? (
              <code key="revision" className="font-mono" title={render.revision}>
                {render.revision.slice(0, 12)}
              </code>
            ) : (
              <span key="revision">
                {render.copies > 1
                  ? `one per cluster (${render.copies} clusters render this customization themselves)`
                  : 'none'}
              </span>
            ),
          ],
        ]}
      />
      <div>
        <p className="mb-1 text-sm text-slate-600 dark:text-slate-400">
          Values over the chart&apos;s defaults, in Helm&apos;s order (secrets shown as *****)
        </p>
        {render.values === null ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Too large to show.</p>
        ) : Object.keys(render.values).length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            None: the chart&apos;s defaults.
          </p>
        ) : (
          <pre
            data-testid="chart-values"
            aria-label={`Values of ${customizationLabel(render.customization)}`}
            tabIndex={0}
            className="max-h-96 overflow-auto rounded-md bg-slate-100 p-3 font-mono text-xs text-slate-900 dark:bg-slate-950 dark:text-slate-100"
          >
            {JSON.stringify(render.values, null, 2)}
          </pre>
        )}
      </div>
    </div>
  );
}
