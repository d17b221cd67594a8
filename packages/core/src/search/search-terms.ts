/**
 * What a global-search query asks for: `env=prod region=eu web` is two label terms and one name
 * term; every term must match (AND). A label term matches clusters only (bundles and
 * repositories carry no labels), a name term matches any kind by a case-insensitive substring.
 */
export interface SearchTerms {
  names: string[];
  labels: { key: string; value: string }[];
}

export function parseSearchTerms(query: string): SearchTerms {
  const terms: SearchTerms = { names: [], labels: [] };
  for (const word of query.trim().split(/\s+/)) {
    if (word === '') continue;
    const equals = word.indexOf('=');
    // `=prod` or `env=` is not a label term: treat it as text, so nothing typed is dropped.
    if (equals > 0 && equals < word.length - 1) {
      terms.labels.push({ key: word.slice(0, equals), value: word.slice(equals + 1) });
    } else {
      terms.names.push(word);
    }
  }
  return terms;
}
