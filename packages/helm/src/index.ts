export * from './template/values.ts';
export * from './template/errors.ts';
