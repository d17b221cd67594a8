import { ApiException, HttpMethod, type RequestContext } from '@kubernetes/client-node';
import type { HttpRequest, HttpResponse } from './transport.ts';

/**
 * One request to the API server with plain JSON in and out. Flotilla handles objects of any
 * kind as plain data, so it bypasses client-node's typed serializer on purpose: that serializer
 * drops fields its models do not know (a newer field, or a typo the API server should reject)
 * and turns timestamps into Date objects, which would make every drift comparison lie.
 */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the API server URL, e.g. /apis/apps/v1/namespaces/web/deployments. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON (which is also valid YAML, so it serves server-side apply too). */
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

const METHODS: Record<KubeRequest['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export function methodOf(request: KubeRequest): HttpMethod {
  return METHODS[request.method];
}

/** Fills a client-node RequestContext (made by the configuration's base server) from a KubeRequest. */
export function fillRequestContext(context: RequestContext, request: KubeRequest): void {
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) context.setQueryParam(name, value);
  }
  context.setHeaderParam('Accept', 'application/json');
  if (request.body !== undefined) {
    context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
    context.setBody(JSON.stringify(request.body));
  }
}

/** The wire request of a RequestContext, authenticated already by the KubeConfig. */
export function toHttpRequest(context: RequestContext, timeoutMs?: number): HttpRequest {
  const body = context.getBody();
  if (body !== undefined && typeof body !== 'string') {
    throw new TypeError('only string request bodies are supported');
  }
  return {
    method: context.getHttpMethod(),
    url: context.getUrl(),
    headers: context.getHeaders(),
    ...(body === undefined ? {} : { body }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The parsed JSON of a 2xx answer. Anything else throws client-node's ApiException carrying
 * the status and the parsed body (a Status, usually), so callers classify typed and untyped
 * requests alike. The exception's message names only the status and the request, never the body.
 */
export function readResponse(request: KubeRequest, response: HttpResponse): unknown {
  if (response.status >= 200 && response.status < 300) {
    if (response.body === '') return undefined;
    const value = parseJson(response.body);
    if (value === undefined) {
      throw new ApiException(
        response.status,
        `${request.method} ${request.path}: the answer is not JSON`,
        undefined,
        response.headers,
      );
    }
    return value;
  }
  throw new ApiException(
    response.status,
    `${request.method} ${request.path}: HTTP ${response.status}`,
    parseJson(response.body),
    response.headers,
  );
}
