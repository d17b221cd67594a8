/**
 * Expected failures of the engine. Each carries a code the edges map to a status and a
 * message that says what was wrong and where (file path, field, position), and never any
 * secret: the engine never sees one.
 */
export type EngineErrorCode =
  | 'SelectorInvalid'
  | 'OptionsInvalid'
  | 'YamlInvalid'
  | 'LimitExceeded'
  | 'PathEscapes'
  | 'KustomizeFailed'
  | 'OverlayFailed'
  | 'HelmFailed'
  | 'Unsupported';

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** Where it went wrong: a repository path, a field path or a selector position. */
    readonly where?: string,
  ) {
    super(message);
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
