import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { limitExceeded } from './limits.ts';

/**
 * A JSON patch whose result must stay within `maxBytes`. The check cannot wait for the result:
 * each `copy` can double the document, so thirty lines of patch would need gigabytes before
 * anything returned. Operations are applied one by one and every copy is charged the size of
 * what it copies; `add` and `replace` only bring what the patch file itself holds.
 */
export function applyBoundedJsonPatch(
  original: unknown,
  operations: readonly unknown[],
  { maxBytes, file }: { maxBytes: number; file: string },
): unknown {
  let document: unknown = structuredClone(original);
  let size = jsonBytes(document);
  try {
    operations.forEach((operation, index) => {
      if (isCopy(operation)) {
        size += jsonBytes(valueAt(document, operation.from));
        if (size > maxBytes) {
          throw limitExceeded(
            file,
            `JSON patch operation ${index} (copy ${operation.from}) grows the result past maxBytes (${maxBytes} bytes)`,
          );
        }
      }
      const op = operation as Operation;
      document = jsonPatch.applyOperation(document, op, true, true, true, index).newDocument;
    });
  } catch (error) {
    if (!(error instanceof jsonPatch.JsonPatchError)) throw error;
    // Rerun through the shared JSON patch to report the failure in its words; it fails at the
    // same operation, and every one before it stayed within the size bound.
    applyJsonPatch(original, operations, { code: 'OverlayFailed' });
    throw error;
  }
  return document;
}

function isCopy(operation: unknown): operation is { op: 'copy'; from: string } {
  if (typeof operation !== 'object' || operation === null) return false;
  const { op, from } = operation as { op?: unknown; from?: unknown };
  return op === 'copy' && typeof from === 'string';
}

/** The value a pointer names, or undefined; applyOperation then reports a bad pointer itself. */
function valueAt(document: unknown, pointer: string): unknown {
  try {
    return jsonPatch.getValueByPointer(document, pointer);
  } catch {
    return undefined;
  }
}

function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}
