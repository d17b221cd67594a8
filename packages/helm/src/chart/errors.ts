/**
 * A chart could not be loaded or rendered. `file` names the chart file at fault (a template, an
 * archive entry, Chart.yaml, a values file) so that a user can go straight to it.
 */
export class ChartError extends Error {
  override readonly name = 'ChartError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}
