import { z } from 'zod';
import { OPERATIONS, type Operation } from './operations.ts';

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function operationObject(operation: Operation) {
  const parameters = [
    ...(operation.path.includes('{id}')
      ? [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]
      : []),
    ...(operation.query
      ? Object.entries(
          (jsonSchema(operation.query) as { properties?: Record<string, unknown> }).properties ??
            {},
        ).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          schema,
        }))
      : []),
  ];
  return {
    summary: operation.summary,
    tags: [operation.tag],
    ...(operation.auth === 'public'
      ? { security: [] }
      : { description: `Requires the ${operation.auth} role or better.` }),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(operation.body) } },
          },
        }
      : {}),
    responses: {
      [operation.success.status]: { description: operation.success.description },
      default: {
        description: 'A problem (RFC 9457)',
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      },
    },
  };
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flotilla API',
      version: '1',
      description:
        'Multi-cluster GitOps. Errors are RFC 9457 problem+json; 422 lists field errors with their path.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token, or FLOTILLA_BOOTSTRAP_TOKEN',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'flotilla_session' },
      },
      schemas: { Problem: problem },
    },
    paths,
  };
}
