/** A place in a chart template that a render error names (Helm's `file:line[:column]`). */
export interface TemplateLocation {
  /** As Helm names it: `<chart>/templates/<file>`. */
  file: string;
  line: number;
  column: number | null;
}

/*
 * Helm's two shapes: Go's text/template errors (`template: web/templates/x.yaml:12:3: ...`,
 * parse errors without a column) and `fail`/`required` (`execution error at
 * (web/templates/x.yaml:12:3): ...`). The dashboard shows these apart so the file and line
 * are not lost in a long message.
 */
const LOCATION = /(?:template: |execution error at \()([^\s:()"]+):(\d+)(?::(\d+))?/g;

/** The template locations a render error names, in order, each once. */
export function templateErrorLocations(message: string): TemplateLocation[] {
  const seen = new Set<string>();
  const locations: TemplateLocation[] = [];
  for (const match of message.matchAll(LOCATION)) {
    const [, file = '', line = '', column] = match;
    const key = `${file}:${line}:${column ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    locations.push({ file, line: Number(line), column: column ? Number(column) : null });
  }
  return locations;
}
