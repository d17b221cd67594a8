import jsonPatch, { type Operation } from 'fast-json-patch';
import { EngineError, type EngineErrorCode } from '../errors.ts';

export interface JsonPatchOptions {
  /** The code of the EngineError thrown when an operation fails (default OverlayFailed). */
  code?: EngineErrorCode;
  /** Where the patch came from (a file path), for the message. */
  source?: string;
  /**
   * Bound on the patched document's JSON size, checked after each `copy`: the one operation
   * that can grow a document beyond the patch's own size (doubling it, line after line).
   */
  maxBytes?: number;
}

const REASONS: Readonly<Record<string, string>> = {
  SEQUENCE_NOT_AN_ARRAY: 'the patch is not a list of operations',
  OPERATION_NOT_AN_OBJECT: 'the operation is not an object',
  OPERATION_OP_INVALID: 'op must be one of add, remove, replace, move, copy, test',
  OPERATION_PATH_INVALID: 'path must be a JSON pointer',
  OPERATION_FROM_REQUIRED: 'from is required',
  OPERATION_VALUE_REQUIRED: 'value is required',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'value cannot contain undefined',
  OPERATION_PATH_CANNOT_ADD: 'the parent of path does not exist',
  OPERATION_PATH_UNRESOLVABLE: 'path does not exist',
  OPERATION_FROM_UNRESOLVABLE: 'from does not exist',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'path has an illegal list index',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'list index is out of bounds',
  TEST_OPERATION_FAILED: 'test failed: the value differs',
};

function describeOperation(operation: unknown): string {
  if (typeof operation !== 'object' || operation === null) return JSON.stringify(operation);
  const { op, path } = operation as { op?: unknown; path?: unknown };
  return `${String(op)} ${String(path)}`;
}

/**
 * Applies RFC 6902 JSON patch operations. Throws an EngineError naming the failing
 * operation's index, op and path. Inputs are not modified.
 */
export function applyJsonPatch<T>(
  target: T,
  operations: readonly unknown[],
  options: JsonPatchOptions = {},
): T {
  const code = options.code ?? 'OverlayFailed';
  const from = options.source ? ` in ${options.source}` : '';
  if (!Array.isArray(operations)) {
    throw new EngineError(code, `JSON patch${from} is not a list of operations`, options.source);
  }
  // One operation at a time: fast-json-patch's own error index is not reliable.
  let document = structuredClone(target);
  operations.forEach((operation, index) => {
    try {
      document = jsonPatch.applyOperation(
        document,
        operation as Operation,
        true,
        true,
        true,
        index,
      ).newDocument;
    } catch (error) {
      if (!(error instanceof jsonPatch.JsonPatchError)) throw error;
      const reason = REASONS[error.name] ?? error.message.split('\n')[0] ?? error.name;
      throw new EngineError(
        code,
        `JSON patch${from}: operation ${index} (${describeOperation(operation)}) failed: ${reason}`,
        options.source,
      );
    }
    if (options.maxBytes !== undefined && (operation as { op?: unknown }).op === 'copy') {
      const bytes = Buffer.byteLength(JSON.stringify(document), 'utf8');
      if (bytes > options.maxBytes) {
        throw new EngineError(
          'LimitExceeded',
          `JSON patch${from}: operation ${index} makes the document larger than ${options.maxBytes} bytes`,
          options.source,
        );
      }
    }
  });
  return document;
}
