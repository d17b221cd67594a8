/**
 * Errors raised by the template engine, with messages worded exactly as Go's text/template
 * words them, because chart authors search for these strings.
 */

/** A template could not be parsed: `template: NAME:LINE: MSG`. */
export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * A template failed while executing:
 * `template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`.
 */
export class TemplateExecError extends Error {
  override readonly name = 'TemplateExecError';
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * What a template function throws to fail the way a Go function returning an error does; the
 * executor reports it as `error calling NAME: MESSAGE`. Any other Error thrown by a function is
 * reported the same way.
 */
export class TemplateFunctionError extends Error {
  override readonly name = 'TemplateFunctionError';
}
