/**
 * A label selector's requirements, split on the commas between them (not those inside
 * `in (a,b)`), trimmed, empty ones dropped.
 */
export function selectorTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter((term) => term !== '');
}

/** Adds `term` (a label chip's `key=value`) to the selector, or takes it out if it is there. */
export function toggleSelectorTerm(selector: string, term: string): string {
  const terms = selectorTerms(selector);
  const normalized = (text: string) => text.replace(/\s+/g, '').replace(/==/, '=');
  const without = terms.filter((existing) => normalized(existing) !== normalized(term));
  return (without.length === terms.length ? [...terms, term] : without).join(',');
}
