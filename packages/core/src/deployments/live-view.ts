import {
  apiGroupOf,
  HEALTH_STATUSES,
  type KubeObject,
  type ObjectRef,
  type ResourceTreeNode,
} from '@flotilla/engine';
import { z } from 'zod';

/**
 * What the deployment page's "Desired and live" view shows, and the worker's answer it is built
 * from (a live-read job's return value crosses Redis: it is parsed, never trusted).
 */

/** Objects of one deployment read live at most; a bigger bundle shows the first ones. */
export const MAX_LIVE_OBJECTS = 200;
/** How long the web waits for the worker's live read before saying it did not answer. */
export const LIVE_READ_TIMEOUT_MS = 20_000;
/** Events of one object shown, newest first. */
export const MAX_EVENTS = 50;

/** An object as shown: YAML with Secret values masked (engine showObjectYaml). */
export interface ShownObject {
  yaml: string;
  isTruncated: boolean;
}

export type LiveUnavailableReason = 'agent' | 'offline' | 'unreachable' | 'timeout' | 'failed';

export interface ObjectEventDto {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeen: string | null;
  source: string;
}

const shownSchema = z.object({ yaml: z.string(), isTruncated: z.boolean() });

const treeNodeSchema: z.ZodType<ResourceTreeNode> = z.lazy(() =>
  z.object({
    apiVersion: z.string(),
    kind: z.string(),
    namespace: z.string(),
    name: z.string(),
    uid: z.string(),
    health: z.enum(HEALTH_STATUSES),
    healthMessage: z.string(),
    children: z.array(treeNodeSchema),
  }),
);

const eventSchema = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  lastSeen: z.string().nullable(),
  source: z.string(),
});

const unavailableSchema = z.object({
  kind: z.literal('unavailable'),
  reason: z.enum(['agent', 'offline', 'unreachable', 'timeout', 'failed']),
  message: z.string(),
});

/** The worker's answer to a live-read job. */
export const liveAnswerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('objects'),
    objects: z.array(
      z.object({
        apiVersion: z.string(),
        kind: z.string(),
        namespace: z.string(),
        name: z.string(),
        live: shownSchema.nullable(),
        error: z.string().nullable(),
      }),
    ),
    tree: z.array(treeNodeSchema),
    errors: z.array(z.string()),
  }),
  z.object({ kind: z.literal('events'), events: z.array(eventSchema) }),
  unavailableSchema,
]);
export type LiveAnswer = z.infer<typeof liveAnswerSchema>;
export type LiveUnavailable = z.infer<typeof unavailableSchema>;

/** Identity by API group, as everywhere else (apps/v1 and apps/v1beta2 are one object). */
export function liveKey(ref: ObjectRef): string {
  return `${apiGroupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace}|${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
  };
}

/**
 * The objects the view covers: the desired revision's, then those the last apply left that it
 * no longer has (still on the cluster until pruned), at most MAX_LIVE_OBJECTS. The web and the
 * worker both derive it from the database, so a job carries only the deployment's id.
 */
export function liveViewRefs({
  desired,
  inventory,
}: {
  desired: readonly KubeObject[];
  inventory: readonly ObjectRef[];
}): { refs: ObjectRef[]; isTruncated: boolean } {
  const seen = new Set<string>();
  const refs: ObjectRef[] = [];
  for (const ref of [...desired.map(refOf), ...inventory]) {
    const key = liveKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(ref);
  }
  return { refs: refs.slice(0, MAX_LIVE_OBJECTS), isTruncated: refs.length > MAX_LIVE_OBJECTS };
}
