export * from './clusters.ts';
export * from './deployment-writes.ts';
export * from './pagination.ts';
export * from './deployment-history.ts';
export * from './text-match.ts';
export * from './deployment-reads.ts';
export * from './events.ts';
export * from './state-change-reads.ts';
