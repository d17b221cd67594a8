import { EngineError, type ValuesFrom } from '@flotilla/engine';
import { readValuesFile } from '@flotilla/helm';
import { getLive, type ClusterClient } from '@flotilla/kube';

/** Fleet's key when a ConfigMap or Secret ref names none. */
const DEFAULT_KEY = 'values.yaml';

/**
 * fleet.yaml's `helm.valuesFrom`, read from the target cluster as Fleet's agent reads them: in
 * order, each ConfigMap or Secret key parsed as a YAML map. A missing object adds nothing (as
 * in Fleet); a missing key or a key that is no YAML map fails this cluster's render. Errors
 * name the object and the key, never what it holds (the values of a Secret are secrets).
 */
export async function readValuesFrom({
  client,
  refs,
  namespace,
}: {
  client: ClusterClient;
  refs: readonly ValuesFrom[];
  /** Where a ref without a namespace looks: the release namespace. */
  namespace: string;
}): Promise<Record<string, unknown>[]> {
  const values: Record<string, unknown>[] = [];
  for (const ref of refs) {
    const isSecret = ref.secretKeyRef !== undefined;
    const keyRef = ref.secretKeyRef ?? ref.configMapKeyRef;
    if (!keyRef) continue;
    const kind = isSecret ? 'Secret' : 'ConfigMap';
    const where = `${kind.toLowerCase()} ${keyRef.namespace || namespace}/${keyRef.name}`;
    const key = keyRef.key || DEFAULT_KEY;
    const object = await getLive(client, {
      apiVersion: 'v1',
      kind,
      namespace: keyRef.namespace || namespace,
      name: keyRef.name,
    });
    if (!object) {
      values.push({});
      continue;
    }
    const data = (object as { data?: Record<string, unknown> }).data ?? {};
    const raw = data[key];
    if (typeof raw !== 'string') {
      throw new EngineError(
        'HelmFailed',
        `helm.valuesFrom: key ${key} is missing from ${where}, can't use it in valuesFrom`,
        'helm.valuesFrom',
      );
    }
    const text = isSecret ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    try {
      values.push(readValuesFile({ name: key, data: Buffer.from(text, 'utf8') }, key));
    } catch {
      // The parser's message may quote the text: for a Secret, that would be the secret.
      throw new EngineError(
        'HelmFailed',
        `helm.valuesFrom: key ${key} of ${where} is not a YAML map of values`,
        'helm.valuesFrom',
      );
    }
  }
  return values;
}
