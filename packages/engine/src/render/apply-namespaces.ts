import { EngineError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { scopeResolver } from './kinds.ts';

/** Where Fleet's agent puts namespaced objects when neither option names a namespace. */
export const FALLBACK_NAMESPACE = 'default';

export interface NamespaceOptions {
  namespace?: string | undefined;
  defaultNamespace?: string | undefined;
}

/**
 * Gives every object the namespace it will live in, as Fleet's agent does:
 * - `namespace` forces itself on every object, and (Fleet documents this) a cluster-scoped object
 *   then fails the deployment: the option exists to lock a bundle into one namespace.
 * - otherwise `defaultNamespace` (else "default") fills namespaced objects that name none.
 * - cluster-scoped objects keep no namespace, so their identity is namespace "".
 * The result is explicit so the inventory and the apply step never have to guess.
 */
export function applyNamespaces(
  objects: readonly KubeObject[],
  options: NamespaceOptions,
): KubeObject[] {
  const scopeOf = scopeResolver(objects);
  const forced = options.namespace || undefined;
  const fallback = options.defaultNamespace || FALLBACK_NAMESPACE;

  return objects.map((object) => {
    const { namespace: current, ...metadata } = object.metadata;
    if (scopeOf(object) === 'Cluster') {
      if (forced) {
        throw new EngineError(
          'OptionsInvalid',
          `namespace "${forced}" forbids cluster-scoped objects, but the bundle has ` +
            `${object.kind} "${object.metadata.name}"; use defaultNamespace to allow them (as Fleet does)`,
          'namespace',
        );
      }
      return { ...object, metadata };
    }
    return { ...object, metadata: { ...metadata, namespace: forced ?? (current || fallback) } };
  });
}
