export { apiGroupOf, identityOfObject, objectIdentity } from './object-identity.ts';
export type { ObjectName } from './object-identity.ts';
