#!/usr/bin/env node
// Bundles the worker into apps/worker/dist/main.mjs: our TypeScript (apps/worker and every
// @flotilla/* package it imports) in one ES module, with the npm packages left as imports.
//
// Why: run through tsx, the worker carried tsx's loader thread and its copies of every module's
// source (client-node alone is thousands of files): at 1000 clusters its RSS was 475 MiB
// against 369 MiB bundled, and it spent 3.40 against 3.04 ms of CPU per deployment
// (docs/PERFORMANCE.md). `npm run build` (turbo), `npm start`, the image, the bench and the
// test platform all run this bundle; `node --import tsx apps/worker/src/main.ts` still works.
// Stack traces name the bundle's lines unless node runs with --enable-source-maps (main.mjs.map).
//
// A package that a workspace package has in a node_modules of its own (a version other than the
// root's) is imported by a path relative to dist/, so the bundle gets the same copy the source
// would. The output is written to a temporary name and renamed, so builds running side by side
// (test runs) never leave a half-written file.
import { build } from 'esbuild';
import { renameSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'dist');
const outFile = path.join(outDir, 'main.mjs');
const resolverIn = (dir) => createRequire(path.join(dir, 'index.js'));

/** npm packages stay imports; a nested copy is imported by its path. */
const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@flotilla/')) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      let fromImporter;
      let fromBundle;
      try {
        fromImporter = resolverIn(args.resolveDir).resolve(args.path);
      } catch {
        return { path: args.path, external: true };
      }
      try {
        fromBundle = resolverIn(outDir).resolve(args.path);
      } catch {
        fromBundle = undefined;
      }
      if (fromImporter === fromBundle) return { path: args.path, external: true };
      const relative = path.relative(outDir, fromImporter).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: [path.join(here, 'src/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: outFile,
  write: false,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [externalPackages],
});
await mkdir(outDir, { recursive: true });
const suffix = `.tmp-${process.pid}`;
for (const file of result.outputFiles) await writeFile(file.path + suffix, file.contents);
// The map first: a reader of main.mjs then always finds the map it names.
const maps = result.outputFiles.filter((file) => file.path.endsWith('.map'));
const code = result.outputFiles.filter((file) => !file.path.endsWith('.map'));
for (const file of [...maps, ...code]) renameSync(file.path + suffix, file.path);
console.log(`worker bundled: ${path.relative(process.cwd(), outFile)}`);
