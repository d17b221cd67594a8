export * from './certificates.ts';
export * from './envtest.ts';
export * from './kube-client.ts';
export * from './ports.ts';
export * from './postgres.ts';
export * from './processes.ts';
export * from './redis.ts';
export * from './services.ts';
