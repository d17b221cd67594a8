import { TemplateFunctionError } from '../template/errors.ts';
import type { TemplateSet } from '../template/template-set.ts';
import { isPlainObject } from '../template/values.ts';
import type { TemplateFunction } from '../sprig/convert.ts';
import { strval } from '../sprig/convert.ts';

/** Reads an object from the target cluster for `lookup`; `{}` when there is none. */
export type LookupFunction = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
) => Record<string, unknown>;

/**
 * Helm marks the messages of `required` and `fail` so that its error cleanup can print just the
 * message with the template location ("execution error at (file:line:col): message").
 */
export const warnWrap = (message: string): string => `HELM_ERR_START${message}HELM_ERR_END`;

// Helm's include refuses a template that includes itself more than this deep.
const MAX_INCLUDE_DEPTH = 1000;

/**
 * Helm's own template functions (pkg/engine/funcs.go + engine.go): include, tpl, required,
 * lookup. `set` is the set executing; `tpl` parses into a clone of it, as Helm does.
 */
export function helmFunctions(
  set: TemplateSet,
  lookup: LookupFunction,
): Record<string, TemplateFunction> {
  const depth = new Map<string, number>();
  return {
    include: (name, data) => {
      const templateName = strval(name);
      const current = depth.get(templateName) ?? 0;
      if (current > MAX_INCLUDE_DEPTH) {
        throw new TemplateFunctionError(
          `rendering template has a nested reference name: ${templateName}: unable to execute template`,
        );
      }
      depth.set(templateName, current + 1);
      try {
        return set.execute(templateName, data);
      } finally {
        depth.set(templateName, current);
      }
    },
    tpl: (text, values) => {
      if (!isPlainObject(values)) {
        throw new TemplateFunctionError(
          'cannot retrieve Template.Name from values inside tpl function',
        );
      }
      const template = values.Template;
      const name =
        isPlainObject(template) && typeof template.Name === 'string' ? template.Name : null;
      if (name === null) {
        throw new TemplateFunctionError(
          'cannot retrieve Template.Name from values inside tpl function',
        );
      }
      return set.parseAndExecute(name, strval(text), values, { replaceNoValue: true });
    },
    required: (warning, value) => {
      if (value === null || value === undefined || value === '') {
        throw new TemplateFunctionError(warnWrap(strval(warning)));
      }
      return value;
    },
    fail: (message) => {
      throw new TemplateFunctionError(warnWrap(strval(message)));
    },
    lookup: (apiVersion, kind, namespace, name) =>
      lookup(strval(apiVersion), strval(kind), strval(namespace), strval(name)),
  };
}
