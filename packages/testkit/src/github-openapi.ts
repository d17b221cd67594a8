import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * GitHub's published REST description (`@octokit/openapi`, pinned in package.json), used to
 * check every request the local GitHub server receives, the way GitHub itself refuses a body
 * that does not match with 422. Parsing the 13 MB document costs ~150 ms, once per process.
 */
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: object;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: object }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | OpenApiParameter[]>>;
  components: Record<string, Record<string, unknown>>;
}

export interface MatchedOperation {
  operationId: string;
  /** The path template, e.g. /repos/{owner}/{repo}/statuses/{sha}. */
  template: string;
  params: Record<string, string>;
}

export type RequestCheck =
  | { ok: true; operation: MatchedOperation }
  | { ok: false; status: 404 | 422; message: string; errors: string[] };

interface CompiledOperation {
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  staticSegments: number;
  operation: OpenApiOperation;
  validatePath?: ValidateFunction;
  validateQuery?: ValidateFunction;
  validateBody?: ValidateFunction;
  bodyRequired: boolean;
}

const SPEC_ID = 'https://api.github.com/openapi.json';
const require = createRequire(import.meta.url);

// ajv-formats is CommonJS with a default export; under NodeNext the namespace comes through.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

function withSpecRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSpecRefs);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith('#/')
        ? `${SPEC_ID}${child}`
        : withSpecRefs(child);
  }
  return out;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((error) => {
    const at = error.instancePath === '' ? where : `${where}${error.instancePath}`;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
        : error.keyword === 'enum'
          ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : '';
    return `${at} ${error.message ?? 'is invalid'}${extra}`;
  });
}

export class GithubOpenApi {
  private readonly operations: CompiledOperation[] = [];
  private readonly ajv: Ajv;
  private readonly coercingAjv: Ajv;
  private readonly document: OpenApiDocument;

  constructor(document: OpenApiDocument) {
    this.document = document;
    // strict: false because OpenAPI 3.0 adds keywords (example, x-github, discriminator) that
    // are no JSON Schema; ajv understands 3.0's `nullable` natively.
    const options = { strict: false, allErrors: true, validateFormats: true } as const;
    this.ajv = addFormats(new Ajv(options));
    this.coercingAjv = addFormats(new Ajv({ ...options, coerceTypes: true }));
    const components = withSpecRefs({ $id: SPEC_ID, components: document.components });
    this.ajv.addSchema(components as object);
    this.coercingAjv.addSchema(components as object);
    for (const [template, item] of Object.entries(document.paths)) {
      const segments = template.split('/').filter(Boolean);
      for (const [method, value] of Object.entries(item)) {
        if (method === 'parameters' || Array.isArray(value)) continue;
        const operation = value;
        const parameters = (operation.parameters ?? []).map((parameter) =>
          this.resolveParameter(parameter),
        );
        const multiSegment = new Set(
          parameters
            .filter(
              (parameter) => (parameter as { 'x-multi-segment'?: boolean })['x-multi-segment'],
            )
            .map((parameter) => parameter.name),
        );
        const paramNames: string[] = [];
        const pattern = segments
          .map((segment) => {
            const name = /^\{(.+)\}$/.exec(segment)?.[1];
            if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            paramNames.push(name);
            return multiSegment.has(name) ? '(.+)' : '([^/]+)';
          })
          .join('/');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^/${pattern}/?$`),
          paramNames,
          staticSegments: segments.filter((segment) => !segment.startsWith('{')).length,
          operation,
          bodyRequired: operation.requestBody?.required ?? false,
        });
      }
    }
    // A static segment beats a parameter: /repos/{owner}/{repo}/commits/{ref}/status must not
    // be read as some /repos/{owner}/{repo}/{x}/... template.
    this.operations.sort((a, b) => b.staticSegments - a.staticSegments);
  }

  private resolveParameter(parameter: OpenApiParameter): OpenApiParameter {
    if (!parameter.$ref) return parameter;
    const name = parameter.$ref.replace('#/components/parameters/', '');
    const resolved = this.document.components.parameters?.[name];
    if (!resolved) throw new Error(`the spec has no parameter ${parameter.$ref}`);
    return resolved as OpenApiParameter;
  }

  private compile(entry: CompiledOperation): void {
    if (entry.validatePath || entry.validateQuery) return;
    const parameters = (entry.operation.parameters ?? []).map((parameter) =>
      this.resolveParameter(parameter),
    );
    const objectSchema = (where: 'path' | 'query') => {
      const chosen = parameters.filter((parameter) => parameter.in === where);
      return withSpecRefs({
        type: 'object',
        properties: Object.fromEntries(
          chosen.map((parameter) => [parameter.name, parameter.schema ?? {}]),
        ),
        required: chosen
          .filter((parameter) => parameter.required)
          .map((parameter) => parameter.name),
        // GitHub ignores unknown query parameters; the local server refuses them, so a typo in
        // our client shows up in a test instead of being silently dropped in production.
        additionalProperties: false,
      }) as object;
    };
    entry.validatePath = this.coercingAjv.compile(objectSchema('path'));
    entry.validateQuery = this.coercingAjv.compile(objectSchema('query'));
    const bodySchema = entry.operation.requestBody?.content['application/json']?.schema;
    if (bodySchema) entry.validateBody = this.ajv.compile(withSpecRefs(bodySchema) as object);
  }

  /**
   * Finds the operation for a request and checks its path parameters, query and JSON body
   * against the description. `body` is undefined when the request had none.
   */
  check({
    method,
    path,
    query,
    body,
  }: {
    method: string;
    path: string;
    query: Record<string, string>;
    body: unknown;
  }): RequestCheck {
    const candidates = this.operations.filter((entry) => entry.regex.test(path));
    const entry = candidates.find((candidate) => candidate.method === method.toUpperCase());
    if (!entry) {
      return {
        ok: false,
        status: 404,
        message: 'Not Found',
        errors: [
          candidates.length > 0
            ? `${method} is not an operation of ${candidates[0]?.template}`
            : `no operation matches ${path}`,
        ],
      };
    }
    this.compile(entry);
    const match = entry.regex.exec(path);
    const params = Object.fromEntries(
      entry.paramNames.map((name, index) => [name, decodeURIComponent(match?.[index + 1] ?? '')]),
    );
    const errors: string[] = [];
    const coercedParams = { ...params };
    if (!entry.validatePath?.(coercedParams))
      errors.push(...describe(entry.validatePath?.errors, 'path'));
    const coercedQuery = { ...query };
    if (!entry.validateQuery?.(coercedQuery))
      errors.push(...describe(entry.validateQuery?.errors, 'query'));
    if (body === undefined) {
      if (entry.bodyRequired) errors.push('body is required');
    } else if (entry.validateBody && !entry.validateBody(body)) {
      errors.push(...describe(entry.validateBody.errors, 'body'));
    } else if (!entry.validateBody && entry.operation.requestBody === undefined) {
      const isEmpty =
        body !== null && typeof body === 'object' && Object.keys(body as object).length === 0;
      if (!isEmpty) errors.push(`body is not accepted by ${entry.operation.operationId}`);
    }
    if (errors.length > 0) {
      return { ok: false, status: 422, message: 'Invalid request.', errors };
    }
    return {
      ok: true,
      operation: { operationId: entry.operation.operationId, template: entry.template, params },
    };
  }
}

let loaded: GithubOpenApi | undefined;

/** The api.github.com description of the pinned @octokit/openapi, parsed once per process. */
export function githubOpenApi(): GithubOpenApi {
  if (!loaded) {
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    loaded = new GithubOpenApi(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
  }
  return loaded;
}
