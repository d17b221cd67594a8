import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * A chart archive as `helm package` lays it out: every file under `<name>/`. `rawEntries` are
 * added under the names given, so a test can make one that leaves the chart (`web/../../x`).
 */
export async function chartArchive(
  name: string,
  files: Record<string, string>,
  rawEntries: Record<string, string> = {},
): Promise<Buffer> {
  const tar = pack();
  for (const [file, content] of Object.entries(files))
    tar.entry({ name: `${name}/${file}` }, content);
  for (const [entry, content] of Object.entries(rawEntries)) tar.entry({ name: entry }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** A chart whose one ConfigMap carries `.Values.greeting` and the chart's name and version. */
export function greetingChart(name: string, version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\n`,
    'values.yaml': 'greeting: default\n',
    'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  greeting: {{ .Values.greeting | quote }}
  chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
`,
  };
}
