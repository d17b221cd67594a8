#!/usr/bin/env node
// The CLI is TypeScript run from source (as the worker is): tsx's loader is registered first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
