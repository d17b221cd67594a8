export { labelKeyProblem, labelValueProblem } from './label-syntax.ts';
export { matchesSelector } from './match-selector.ts';
export { parseLabelSelector } from './parse-label-selector.ts';
export { parseSelector } from './parse-selector.ts';
export { normalizeSelectorInput, selectorToString } from './selector-to-string.ts';
