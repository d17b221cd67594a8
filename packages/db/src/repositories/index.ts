export * from './clusters.ts';
export * from './deployment-writes.ts';
export * from './pagination.ts';
