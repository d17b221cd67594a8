import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { ClusterConnection } from './connection.ts';
import { assertApiServerUrl, UnsafeUrlError } from './url-policy.ts';

/**
 * Reads a user's kubeconfig into a ClusterConnection, and nothing more. The kubeconfig never
 * reaches client-node's loaders: they would run `exec` plugins and auth providers and read any
 * file it names, on our server, as our process. So the YAML is parsed here and only an
 * allow-listed shape is taken from it; every field that would run something, read a file or
 * authenticate in a way we do not carry over is refused, naming the field.
 */

export interface KubeconfigIssue {
  /** Where, as in `users[0].user.exec`; "" for the document as a whole. */
  path: string;
  message: string;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
  readonly code = 'KubeconfigInvalid';
  /** The first issue's path. */
  readonly path: string;

  constructor(readonly issues: [KubeconfigIssue, ...KubeconfigIssue[]]) {
    super(issues.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; '));
    this.path = issues[0].path;
  }
}

export interface ParseKubeconfigOptions {
  /** Whether this installation accepts insecure-skip-tls-verify (off in production). */
  allowInsecure: boolean;
  /** The context to use instead of current-context. */
  context?: string;
}

const MAX_KUBECONFIG_BYTES = 1024 * 1024;
const FILE_REFUSAL =
  'file paths are not accepted (Flotilla never reads files named by a kubeconfig)';

// Refused by name, with the reason the user gets. Keys ending in "-file" or "File" are refused
// too (FILE_REFUSAL), whatever future field they belong to.
const REFUSED_CLUSTER_FIELDS: Record<string, string> = {
  'certificate-authority': `${FILE_REFUSAL}; paste the CA as certificate-authority-data (base64)`,
  'proxy-url': 'proxies are not supported',
  'tls-server-name': 'tls-server-name is not supported; use a server URL matching the certificate',
};

const REFUSED_USER_FIELDS: Record<string, string> = {
  exec: 'exec plugins are refused: Flotilla never runs commands from a kubeconfig; use a token or a client certificate',
  'auth-provider':
    'auth providers are refused (they run commands or refresh tokens on their own); use a token or a client certificate',
  tokenFile: `${FILE_REFUSAL}; paste the token as token`,
  'token-file': `${FILE_REFUSAL}; paste the token as token`,
  'client-certificate': `${FILE_REFUSAL}; paste the certificate as client-certificate-data (base64)`,
  'client-key': `${FILE_REFUSAL}; paste the key as client-key-data (base64)`,
  username:
    'basic authentication (username/password) is not supported; use a token or a client certificate',
  password:
    'basic authentication (username/password) is not supported; use a token or a client certificate',
  as: 'impersonation is not supported',
  'as-uid': 'impersonation is not supported',
  'as-groups': 'impersonation is not supported',
  'as-user-extra': 'impersonation is not supported',
};

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function entriesOf(list: unknown, field: string): [number, Record<string, unknown>][] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown, index) => {
    const inner = (entry as Record<string, unknown> | null)?.[field];
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? [[index, inner as Record<string, unknown>] as [number, Record<string, unknown>]]
      : [];
  });
}

/** Every refused field anywhere in the document, not only in the chosen context: a kubeconfig is
 * accepted only when it is self-contained, so nothing in it could ever be acted on later. */
function refusedFields(
  document: Record<string, unknown>,
  allowInsecure: boolean,
): KubeconfigIssue[] {
  const issues: KubeconfigIssue[] = [];
  const scan = (listName: string, field: string, refused: Record<string, string>) => {
    for (const [index, entry] of entriesOf(document[listName], field)) {
      for (const [key, value] of Object.entries(entry)) {
        if (!isPresent(value)) continue;
        const message = refused[key] ?? (/(-file|File)$/.test(key) ? FILE_REFUSAL : undefined);
        if (message) issues.push({ path: formatPath([listName, index, field, key]), message });
      }
    }
  };
  scan('clusters', 'cluster', REFUSED_CLUSTER_FIELDS);
  scan('users', 'user', REFUSED_USER_FIELDS);
  scan('contexts', 'context', {});
  if (!allowInsecure) {
    for (const [index, cluster] of entriesOf(document.clusters, 'cluster')) {
      if (cluster['insecure-skip-tls-verify'] === true) {
        issues.push({
          path: formatPath(['clusters', index, 'cluster', 'insecure-skip-tls-verify']),
          message:
            'skipping TLS verification is not allowed on this server; give certificate-authority-data instead',
        });
      }
    }
  }
  return issues;
}

const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  clusters: z
    .array(
      z.object({
        name: z.string().min(1),
        cluster: z.object({
          server: z.string().min(1),
          'certificate-authority-data': z.string().optional(),
          'insecure-skip-tls-verify': z.boolean().optional(),
        }),
      }),
    )
    .default([]),
  users: z
    .array(
      z.object({
        name: z.string().min(1),
        user: z
          .object({
            token: z.string().optional(),
            'client-certificate-data': z.string().optional(),
            'client-key-data': z.string().optional(),
          })
          .default({}),
      }),
    )
    .default([]),
  contexts: z
    .array(
      z.object({
        name: z.string().min(1),
        context: z.object({ cluster: z.string().min(1), user: z.string().min(1) }),
      }),
    )
    .default([]),
});

type Kubeconfig = z.infer<typeof kubeconfigSchema>;

function fail(path: string, message: string): never {
  throw new KubeconfigError([{ path, message }]);
}

function parseYaml(text: string): Record<string, unknown> {
  if (Buffer.byteLength(text) > MAX_KUBECONFIG_BYTES) {
    fail('', 'the kubeconfig is larger than 1 MiB');
  }
  // YAML 1.1, as kubectl reads it; unique keys, so a second `token:` cannot hide behind a first.
  const documents = parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  if (!Array.isArray(documents) || documents.length === 0) fail('', 'the kubeconfig is empty');
  if (documents.length > 1) fail('', 'the kubeconfig holds more than one YAML document');
  const [document] = documents;
  const [error] = document?.errors ?? [];
  if (error) {
    // Position and code only: the parser's own message quotes the source, which may be a secret.
    const at = error.linePos?.[0];
    fail('', `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''} (${error.code})`);
  }
  let value: unknown;
  try {
    value = document?.toJS({ maxAliasCount: 10 });
  } catch {
    fail('', 'the kubeconfig uses too many YAML aliases');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('', 'the kubeconfig is not a YAML mapping');
  }
  return value as Record<string, unknown>;
}

function findUnique<T extends { name: string }>(list: readonly T[], listName: string): void {
  const seen = new Set<string>();
  list.forEach(({ name }, index) => {
    if (seen.has(name)) fail(`${listName}[${index}].name`, `duplicate name "${name}"`);
    seen.add(name);
  });
}

function decodePem(path: string, data: string, what: string): Buffer {
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) fail(path, `${what} must be base64`);
  const pem = Buffer.from(compact, 'base64');
  if (!pem.toString('latin1').includes('-----BEGIN ')) {
    fail(path, `${what} must be base64 of a PEM block`);
  }
  return pem;
}

function checkCertificate(path: string, data: string, what: string): X509Certificate {
  try {
    return new X509Certificate(decodePem(path, data, what));
  } catch (error) {
    if (error instanceof KubeconfigError) throw error;
    return fail(path, `${what} is not a valid PEM certificate`);
  }
}

function selectContext(config: Kubeconfig, requested: string | undefined) {
  const name = requested || config['current-context'];
  if (!name) {
    fail('current-context', 'current-context is not set; choose one of the contexts');
  }
  const index = config.contexts.findIndex((context) => context.name === name);
  const context = config.contexts[index];
  if (!context) {
    const known = config.contexts.map((c) => `"${c.name}"`).join(', ') || 'none';
    fail('current-context', `context "${name}" is not defined in contexts (defined: ${known})`);
  }
  return { index, context: context.context };
}

function toCredentials(
  user: Kubeconfig['users'][number]['user'],
  path: string,
): ClusterConnection['credentials'] {
  const token = user.token?.trim();
  const certData = user['client-certificate-data'];
  const keyData = user['client-key-data'];
  const hasCertificate = isPresent(certData) || isPresent(keyData);
  if (token && hasCertificate) {
    fail(path, 'give either token or client-certificate-data + client-key-data, not both');
  }
  if (token) return { kind: 'token', token };
  if (!hasCertificate) {
    fail(path, 'no credentials: set token, or client-certificate-data and client-key-data');
  }
  if (!certData) {
    fail(`${path}.client-certificate-data`, 'client-key-data needs client-certificate-data');
  }
  if (!keyData) fail(`${path}.client-key-data`, 'client-certificate-data needs client-key-data');
  const certificate = checkCertificate(
    `${path}.client-certificate-data`,
    certData,
    'client-certificate-data',
  );
  const keyPem = decodePem(`${path}.client-key-data`, keyData, 'client-key-data');
  let isMatchingKey: boolean;
  try {
    isMatchingKey = certificate.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    fail(`${path}.client-key-data`, 'client-key-data is not a valid PEM private key');
  }
  if (!isMatchingKey) {
    fail(`${path}.client-key-data`, 'client-key-data does not match client-certificate-data');
  }
  return {
    kind: 'clientCertificate',
    certData: certData.replace(/\s+/g, ''),
    keyData: keyData.replace(/\s+/g, ''),
  };
}

/**
 * The connection of one context of a kubeconfig (current-context, or `options.context`).
 * Throws KubeconfigError listing every refused field, or the first other problem, by path.
 */
export function parseKubeconfig(text: string, options: ParseKubeconfigOptions): ClusterConnection {
  const document = parseYaml(text);
  const refused = refusedFields(document, options.allowInsecure);
  const [firstRefused, ...moreRefused] = refused;
  if (firstRefused) throw new KubeconfigError([firstRefused, ...moreRefused]);

  const parsed = kubeconfigSchema.safeParse(document);
  if (!parsed.success) {
    const [first, ...more] = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    }));
    throw new KubeconfigError(
      first ? [first, ...more] : [{ path: '', message: 'not a kubeconfig' }],
    );
  }
  const config = parsed.data;
  findUnique(config.clusters, 'clusters');
  findUnique(config.users, 'users');
  findUnique(config.contexts, 'contexts');

  const { index: contextIndex, context } = selectContext(config, options.context);
  const clusterIndex = config.clusters.findIndex(({ name }) => name === context.cluster);
  const userIndex = config.users.findIndex(({ name }) => name === context.user);
  const cluster = config.clusters[clusterIndex]?.cluster;
  const user = config.users[userIndex]?.user;
  if (!cluster) {
    fail(
      `contexts[${contextIndex}].context.cluster`,
      `cluster "${context.cluster}" is not defined in clusters`,
    );
  }
  if (!user) {
    fail(
      `contexts[${contextIndex}].context.user`,
      `user "${context.user}" is not defined in users`,
    );
  }

  const clusterPath = `clusters[${clusterIndex}].cluster`;
  try {
    assertApiServerUrl(cluster.server);
  } catch (error) {
    if (error instanceof UnsafeUrlError) fail(`${clusterPath}.server`, error.message);
    throw error;
  }
  const isInsecure = cluster['insecure-skip-tls-verify'] === true;
  const caData = cluster['certificate-authority-data'];
  if (isInsecure && isPresent(caData)) {
    fail(
      `${clusterPath}.insecure-skip-tls-verify`,
      'a CA and insecure-skip-tls-verify contradict each other; keep the CA',
    );
  }
  if (caData) {
    checkCertificate(
      `${clusterPath}.certificate-authority-data`,
      caData,
      'certificate-authority-data',
    );
  }

  return {
    apiServerUrl: cluster.server,
    ...(caData ? { caData: caData.replace(/\s+/g, '') } : {}),
    insecureSkipTlsVerify: isInsecure,
    credentials: toCredentials(user, `users[${userIndex}].user`),
  };
}
