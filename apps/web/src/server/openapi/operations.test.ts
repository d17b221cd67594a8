import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './build-document.ts';
import { OPERATIONS } from './operations.ts';

const API_ROOT = path.resolve(import.meta.dirname, '../../../app/api/v1');

/** Every (method, path) the route files export, from the file tree itself. */
function routeOperations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      if (entry !== 'route.ts') continue;
      const relative = path.relative(API_ROOT, dir);
      if (relative.includes('[...')) continue; // the catch-all 404
      const apiPath = `/api/v1/${relative.replace(/\[(\w+)\]/g, '{$1}')}`;
      for (const match of readFileSync(full, 'utf8').matchAll(
        /export const (GET|POST|PUT|PATCH|DELETE)\b/g,
      )) {
        found.push(`${match[1]!.toLowerCase()} ${apiPath}`);
      }
    }
  };
  walk(API_ROOT);
  return found.sort();
}

describe('the OpenAPI description', () => {
  it('describes exactly the operations the route files serve', () => {
    const described = OPERATIONS.map((operation) => `${operation.method} ${operation.path}`).sort();
    expect(described).toEqual(routeOperations());
  });

  it('builds a document with request schemas from the zod schemas the API validates with', () => {
    const document = buildOpenApiDocument();
    const register = document.paths['/api/v1/clusters']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
      };
    };
    expect(Object.keys(register.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['name', 'labels', 'apiServerUrl', 'token', 'kubeconfig']),
    );
  });
});
