import type { RenderChartDto } from '@/client/types.ts';

/** Where a chart came from, in words: pure, so it is tested as a table. */
export function describeChartSource(source: RenderChartDto['source']): string {
  switch (source.kind) {
    case 'folder':
      return `folder ${source.path}`;
    case 'generated':
      return `generated from ${source.path}`;
    case 'archive':
      return `archive ${source.path}`;
    case 'repository':
      return `${source.chart} from ${source.url}${source.version ? ` (version ${source.version})` : ''}`;
    case 'oci':
      return `${source.ref}${source.version ? ` (version ${source.version})` : ''}`;
    case 'url':
      return source.url;
  }
}

/** A customization's name as the dashboard says it ("" is the bundle's defaults). */
export function customizationLabel(name: string): string {
  return name === '' ? 'defaults' : name;
}

/** `file:line:column` as editors and Helm print it. */
export function locationText(location: {
  file: string;
  line: number;
  column: number | null;
}): string {
  return `${location.file}:${location.line}${location.column === null ? '' : `:${location.column}`}`;
}
