import type { ServerResponse } from 'node:http';
import type { ClusterState } from './cluster-state.ts';
import type { JsonObject } from './json.ts';
import { asServed } from './read-objects.ts';
import type { WatchCall } from './router.ts';
import {
  labelsOf,
  matchesFields,
  matchesLabels,
  namespaceOf,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.ts';

/**
 * A watch as a stream of JSON lines `{"type":"ADDED","object":{...}}`. Without a
 * resourceVersion (or with "0") it starts with the current objects, as the real server does;
 * with one, it only reports later changes (the simulator keeps no history to replay).
 * Objects that stop matching a selector are not reported as DELETED.
 */
export function streamWatch(
  cluster: ClusterState,
  call: WatchCall,
  response: ServerResponse,
): void {
  const { type, namespace, query } = call;
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', type.group, type.kind);
  const matches = (object: JsonObject) =>
    (namespace === '' || namespaceOf(object) === namespace) &&
    matchesLabels(labels, labelsOf(object)) &&
    matchesFields(fields, object);
  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  const send = (eventType: string, object: JsonObject) => {
    response.write(`${JSON.stringify({ type: eventType, object: asServed(type, object) })}\n`);
  };
  const resourceVersion = query.get('resourceVersion');
  if (!resourceVersion || resourceVersion === '0') {
    for (const object of cluster.store.list(type, namespace))
      if (matches(object)) send('ADDED', object);
  }
  const unsubscribe = cluster.store.onChange((change) => {
    const changed = change.resourceType;
    if (
      changed.group !== type.group ||
      changed.resource !== type.resource ||
      !matches(change.object)
    )
      return;
    send(change.type, change.object);
  });
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  const timer =
    timeoutSeconds > 0 ? setTimeout(() => response.end(), timeoutSeconds * 1000) : undefined;
  timer?.unref();
  response.on('close', () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  });
}
