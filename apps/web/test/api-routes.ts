import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const API_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../app/api/v1');

const MUTATING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Every mutating endpoint the API serves, found the way Next finds them: each route.ts under
 * app/api/v1 and the HTTP methods it exports. `PATCH /clusters/[id]` style keys.
 */
export function discoverMutatingRoutes(root = API_ROOT): string[] {
  const routes: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') routes.push(...mutatingExports(full, root));
    }
  };
  walk(root);
  return routes.sort();
}

function mutatingExports(file: string, root: string): string[] {
  const source = readFileSync(file, 'utf8');
  const routePath = `/${path.relative(root, path.dirname(file)).split(path.sep).join('/')}`;
  return MUTATING_METHODS.filter((method) =>
    new RegExp(
      `export\\s+(const\\s+${method}\\b|(async\\s+)?function\\s+${method}\\b|\\{[^}]*\\b${method}\\b[^}]*\\})`,
    ).test(source),
  ).map((method) => `${method} ${routePath}`);
}

/**
 * Every GET endpoint the API serves (`GET /clusters/[id]` style keys), found as
 * discoverMutatingRoutes finds the others: a route.ts that exports GET, whether made with
 * route() or written by hand.
 */
export function discoverReadRoutes(root = API_ROOT): string[] {
  const routes: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const source = readFileSync(full, 'utf8');
        const routePath = `/${path.relative(root, path.dirname(full)).split(path.sep).join('/')}`;
        if (
          /export\s+(const\s+GET\b|(async\s+)?function\s+GET\b|\{[^}]*\bGET\b[^}]*\})/.test(source)
        )
          routes.push(`GET ${routePath}`);
      }
    }
  };
  walk(root);
  return routes.sort();
}
