import { ApiException } from '@kubernetes/client-node';
import { CircuitOpenError } from './circuit-breaker.ts';
import { UnsafeUrlError } from './url-policy.ts';

/**
 * Turning what goes wrong talking to a cluster into values the rest of Flotilla can show. The
 * API server URL is user input, so the server may be hostile: a message shown to users is
 * either one of our fixed sentences or, for a failed apply, the `message` of a Kubernetes
 * Status, bounded and stripped of control characters. A raw response body is never echoed.
 */

export type ClusterErrorReason =
  'CredentialsRejected' | 'Forbidden' | 'TlsError' | 'Timeout' | 'Unreachable' | 'Error';

export interface ClusterErrorInfo {
  reason: ClusterErrorReason;
  message: string;
  /** HTTP status when the API server answered. */
  status?: number;
}

/** No answer (headers and body) within the request's time budget. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`no answer from the API server within ${timeoutMs} ms`);
  }
}

/** A response body larger than the client accepts (a hostile server could stream forever). */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';

  constructor(readonly limitBytes: number) {
    super(`the API server's answer exceeded ${Math.round(limitBytes / 1024 / 1024)} MiB`);
  }
}

/** The cluster serves no such apiVersion + kind (its CRD is missing, or the API is not enabled). */
export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(
      `the cluster does not serve kind ${kind} in ${apiVersion} (is its CustomResourceDefinition installed?)`,
    );
  }
}

// OpenSSL's verification codes as Node reports them (error.code), in words a user understands.
const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not signed by the given CA',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer unknown',
  CERT_SIGNATURE_FAILURE: 'certificate signature invalid',
  CERT_HAS_EXPIRED: 'certificate expired',
  CERT_NOT_YET_VALID: 'certificate not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  INVALID_CA: 'invalid CA certificate',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname mismatch',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS',
  EPROTO: 'TLS handshake failed',
};

const NETWORK_CODES: Record<string, { reason: ClusterErrorReason; message: string }> = {
  ECONNREFUSED: { reason: 'Unreachable', message: 'connection refused' },
  ECONNRESET: { reason: 'Unreachable', message: 'connection reset by the server' },
  EPIPE: { reason: 'Unreachable', message: 'connection closed by the server' },
  ENOTFOUND: { reason: 'Unreachable', message: 'host name not found (DNS)' },
  EAI_AGAIN: { reason: 'Unreachable', message: 'host name lookup failed (DNS, temporary)' },
  EHOSTUNREACH: { reason: 'Unreachable', message: 'host unreachable' },
  ENETUNREACH: { reason: 'Unreachable', message: 'network unreachable' },
  EADDRNOTAVAIL: { reason: 'Unreachable', message: 'address not available' },
  ETIMEDOUT: { reason: 'Timeout', message: 'connection timed out' },
  ECONNABORTED: { reason: 'Timeout', message: 'connection aborted' },
};

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // fetch-style errors put the socket error under `cause`.
  return errorCode((error as { cause?: unknown }).cause);
}

function tlsWords(code: string): string | undefined {
  if (code in TLS_CODES) return TLS_CODES[code];
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'TLS handshake failed';
  return undefined;
}

function classifyStatus(status: number): ClusterErrorInfo {
  if (status === 401) {
    return {
      reason: 'CredentialsRejected',
      message: 'credentials rejected (401 from the API server)',
      status,
    };
  }
  if (status === 403) {
    return { reason: 'Forbidden', message: 'forbidden (403 from the API server)', status };
  }
  if (status === 404) {
    return { reason: 'Error', message: 'not found (404 from the API server)', status };
  }
  if (status === 429) {
    return { reason: 'Error', message: 'throttled (429 from the API server)', status };
  }
  if (status >= 500) return { reason: 'Error', message: `API server error (${status})`, status };
  return { reason: 'Error', message: `unexpected answer (${status} from the API server)`, status };
}

/**
 * Classifies any error from a cluster request. The message is always one of ours: it never
 * contains a response body or a credential, so it is safe to store and show.
 */
export function classifyError(error: unknown): ClusterErrorInfo {
  if (error instanceof ApiException) return classifyStatus(error.code);
  if (error instanceof RequestTimeoutError) return { reason: 'Timeout', message: error.message };
  // Not sent: the cluster stopped answering lately. Unreachable, as the failures that opened it.
  if (error instanceof CircuitOpenError) return { reason: 'Unreachable', message: error.message };
  if (error instanceof UnsafeUrlError) {
    return { reason: 'Error', message: `refused: ${error.message}` };
  }
  if (error instanceof UnknownKindError || error instanceof ResponseTooLargeError) {
    return { reason: 'Error', message: error.message };
  }
  const code = errorCode(error);
  if (code !== undefined) {
    const tls = tlsWords(code);
    if (tls) return { reason: 'TlsError', message: `TLS verification failed: ${tls} (${code})` };
    const network = NETWORK_CODES[code];
    if (network) return network;
    return { reason: 'Error', message: `request failed (${code})` };
  }
  return { reason: 'Error', message: 'request failed' };
}

const MAX_STATUS_MESSAGE = 2000;

/**
 * The `message` of a Kubernetes Status body (parsed or JSON text), bounded and on one line;
 * undefined when the body is anything else.
 */
export function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, message } = value as { kind?: unknown; message?: unknown };
  if (kind !== 'Status' || typeof message !== 'string' || message.trim() === '') return undefined;
  // eslint-disable-next-line no-control-regex
  const oneLine = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > MAX_STATUS_MESSAGE ? `${oneLine.slice(0, MAX_STATUS_MESSAGE)}…` : oneLine;
}

/**
 * Why a request about one object failed, for an apply or prune report: the API server's own
 * Status message when there is one (it names the object and the field), else our classification.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiException) {
    return statusMessage(error.body) ?? classifyError(error).message;
  }
  return classifyError(error).message;
}

export function isHttpStatus(error: unknown, status: number): error is ApiException<unknown> {
  return error instanceof ApiException && error.code === status;
}

/**
 * A 404 about the resource type rather than one object: the Status names no object
 * (`details.name`). This is how a deleted CRD shows up on a LIST or an apply.
 */
export function isUnknownResource(error: unknown): boolean {
  if (!isHttpStatus(error, 404)) return false;
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return true;
    }
  }
  const details = (body as { details?: { name?: unknown } } | null | undefined)?.details;
  return typeof details?.name !== 'string' || details.name === '';
}
