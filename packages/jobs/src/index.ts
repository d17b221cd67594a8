export * from './constants.ts';
export * from './contracts/index.ts';
export * from './correlation.ts';
export * from './live-updates.ts';
export * from './queues.ts';
export * from './redis.ts';
export * from './fleet-locks.ts';
