export * from './agent-env.ts';
export * from './env.ts';
export * from './logger.ts';
