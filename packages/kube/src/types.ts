export type { KubeObject, ObjectRef } from '@flotilla/engine';
