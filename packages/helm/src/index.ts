export * from './template/values.ts';
export * from './template/errors.ts';
export { TemplateSet } from './template/template-set.ts';
export type { ExecuteOptions, TemplateSetOptions } from './template/template-set.ts';
export type { FuncMap, MissingKey, TemplateFunction } from './template/exec.ts';
export { withGoSignature } from './template/exec.ts';
export {
  formatValue,
  goQuote,
  goSprint,
  goSprintf,
  goSprintln,
  formatFloat,
} from './template/fmt.ts';
export { htmlEscape, jsEscape, urlQueryEscape } from './template/builtins.ts';
export * from './chart/index.ts';
export { createSprigFunctions, SeededRandom } from './sprig/index.ts';
export { readValuesFile } from './chart/load-chart.ts';
