import type { JsonObject } from './json.ts';

/**
 * An error the simulated API server answers with a `Status` object, shaped like the real one
 * (reason, code, message and details) because clients branch on `reason` and `code`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: JsonObject,
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    const status: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
    };
    if (this.reason !== '') status.reason = this.reason;
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** Names a resource the way the server does in messages: `deployments.apps` or `configmaps`. */
export interface ResourceName {
  group: string;
  resource: string;
}

function qualified({ group, resource }: ResourceName): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function detailsFor(target: ResourceName, name: string | undefined): JsonObject {
  const details: JsonObject = {};
  if (name !== undefined) details.name = name;
  if (target.group !== '') details.group = target.group;
  details.kind = target.resource;
  return details;
}

export function notFound(target: ResourceName, name: string): ApiError {
  return new ApiError(
    404,
    'NotFound',
    `${qualified(target)} "${name}" not found`,
    detailsFor(target, name),
  );
}

export function namespaceNotFound(namespace: string): ApiError {
  return notFound({ group: '', resource: 'namespaces' }, namespace);
}

export function alreadyExists(target: ResourceName, name: string): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${qualified(target)} "${name}" already exists`,
    detailsFor(target, name),
  );
}

export function updateConflict(target: ResourceName, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(target)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsFor(target, name),
  );
}

export interface FieldCause {
  /** FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, ... */
  reason: string;
  field: string;
  /** The cause without the field, e.g. `Required value`. */
  message: string;
}

/** 422 Invalid, with the message the real server builds from its field errors. */
export function invalid(
  kind: { group: string; kind: string },
  name: string,
  causes: FieldCause[],
): ApiError {
  const rendered = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const qualifiedKind = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const details: JsonObject = {};
  if (name !== '') details.name = name;
  if (kind.group !== '') details.group = kind.group;
  details.kind = kind.kind;
  details.causes = causes.map((cause) => ({
    reason: cause.reason,
    message: cause.message,
    field: cause.field,
  }));
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, details);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(message: string, details: JsonObject): ApiError {
  return new ApiError(403, 'Forbidden', message, details);
}

export function namespaceTerminating(
  target: ResourceName,
  name: string,
  namespace: string,
): ApiError {
  return new ApiError(
    403,
    'Forbidden',
    `${qualified(target)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    {
      ...detailsFor(target, name),
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: `namespace ${namespace} is being terminated`,
          field: 'metadata.namespace',
        },
      ],
    },
  );
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function unsupportedMediaType(): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
}

export function resourceNotServed(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** What the real server answers when a typed apply patch cannot be built (a 500, in v1.20). */
export function typedPatchFailure(message: string): ApiError {
  return new ApiError(500, '', `failed to create typed patch object: ${message}`);
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}
