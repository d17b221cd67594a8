import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeconfigError, parseKubeconfig } from './kubeconfig.ts';
import { OTHER_KEY_DATA, TEST_CERT_DATA, TEST_KEY_DATA } from './test-certificates.ts';

const SERVER = 'https://10.0.0.1:6443';

function kubeconfig({
  cluster = {},
  user = { token: 'secret-token' },
  currentContext = 'prod',
  extra = {},
}: {
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  /** null: no current-context at all. */
  currentContext?: string | null;
  extra?: Record<string, unknown>;
} = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'prod-cluster',
        cluster: { server: SERVER, 'certificate-authority-data': TEST_CERT_DATA, ...cluster },
      },
    ],
    users: [{ name: 'prod-user', user }],
    contexts: [
      {
        name: 'prod',
        context: { cluster: 'prod-cluster', user: 'prod-user', namespace: 'ignored' },
      },
    ],
    ...(currentContext === null ? {} : { 'current-context': currentContext }),
    ...extra,
  });
}

function errorOf(run: () => unknown): KubeconfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof KubeconfigError) return error;
    throw error;
  }
  throw new Error('expected a KubeconfigError');
}

describe('parseKubeconfig: what it accepts', () => {
  it('a token user with a CA', () => {
    expect(parseKubeconfig(kubeconfig(), { allowInsecure: false })).toEqual({
      apiServerUrl: SERVER,
      caData: TEST_CERT_DATA,
      insecureSkipTlsVerify: false,
      credentials: { kind: 'token', token: 'secret-token' },
    });
  });

  it('a client certificate user', () => {
    const connection = parseKubeconfig(
      kubeconfig({
        user: { 'client-certificate-data': TEST_CERT_DATA, 'client-key-data': TEST_KEY_DATA },
      }),
      { allowInsecure: false },
    );
    expect(connection.credentials).toEqual({
      kind: 'clientCertificate',
      certData: TEST_CERT_DATA,
      keyData: TEST_KEY_DATA,
    });
  });

  it('insecure-skip-tls-verify when the installation allows it', () => {
    const text = kubeconfig({
      cluster: { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
    });
    expect(parseKubeconfig(text, { allowInsecure: true })).toMatchObject({
      insecureSkipTlsVerify: true,
    });
    expect(parseKubeconfig(text, { allowInsecure: true })).not.toHaveProperty('caData');
  });

  it('the named context instead of current-context', () => {
    const text = kubeconfig({
      extra: {
        clusters: [
          { name: 'a', cluster: { server: 'https://a.example.com' } },
          { name: 'b', cluster: { server: 'https://b.example.com' } },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [
          { name: 'ctx-a', context: { cluster: 'a', user: 'u' } },
          { name: 'ctx-b', context: { cluster: 'b', user: 'u' } },
        ],
        'current-context': 'ctx-a',
      },
    });
    expect(parseKubeconfig(text, { allowInsecure: false }).apiServerUrl).toBe(
      'https://a.example.com',
    );
    expect(parseKubeconfig(text, { allowInsecure: false, context: 'ctx-b' }).apiServerUrl).toBe(
      'https://b.example.com',
    );
  });

  it('ignores fields that change nothing about the connection (namespace, extensions, preferences)', () => {
    const text = kubeconfig({
      extra: { preferences: { colors: true }, extensions: [{ name: 'x', extension: {} }] },
    });
    expect(parseKubeconfig(text, { allowInsecure: false }).apiServerUrl).toBe(SERVER);
  });
});

describe('parseKubeconfig: what it refuses, naming the field', () => {
  const cases: {
    name: string;
    text: string;
    allowInsecure?: boolean;
    path: string;
    message: RegExp;
  }[] = [
    {
      name: 'an exec plugin',
      text: kubeconfig({
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } },
      }),
      path: 'users[0].user.exec',
      message: /exec plugins are refused: Flotilla never runs commands/,
    },
    {
      name: 'an auth provider',
      text: kubeconfig({
        user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud' } } },
      }),
      path: 'users[0].user.auth-provider',
      message: /auth providers are refused/,
    },
    {
      name: 'a token file',
      text: kubeconfig({ user: { tokenFile: '/var/run/secrets/token' } }),
      path: 'users[0].user.tokenFile',
      message: /file paths are not accepted/,
    },
    {
      name: 'a CA file',
      text: kubeconfig({ cluster: { 'certificate-authority': '/etc/passwd' } }),
      path: 'clusters[0].cluster.certificate-authority',
      message: /file paths are not accepted.*certificate-authority-data/,
    },
    {
      name: 'a client certificate file',
      text: kubeconfig({
        user: { 'client-certificate': '/home/me/cert.pem', 'client-key-data': TEST_KEY_DATA },
      }),
      path: 'users[0].user.client-certificate',
      message: /file paths are not accepted/,
    },
    {
      name: 'a client key file',
      text: kubeconfig({
        user: { 'client-certificate-data': TEST_CERT_DATA, 'client-key': '/home/me/key.pem' },
      }),
      path: 'users[0].user.client-key',
      message: /file paths are not accepted/,
    },
    {
      name: 'any other *-file field',
      text: kubeconfig({ cluster: { 'some-future-file': '/x' } }),
      path: 'clusters[0].cluster.some-future-file',
      message: /file paths are not accepted/,
    },
    {
      name: 'username and password',
      text: kubeconfig({ user: { username: 'admin', password: 'hunter2' } }),
      path: 'users[0].user.username',
      message: /basic authentication .* is not supported/,
    },
    {
      name: 'impersonation',
      text: kubeconfig({ user: { token: 't', as: 'system:admin' } }),
      path: 'users[0].user.as',
      message: /impersonation is not supported/,
    },
    {
      name: 'a proxy',
      text: kubeconfig({ cluster: { 'proxy-url': 'socks5://10.0.0.9:1080' } }),
      path: 'clusters[0].cluster.proxy-url',
      message: /proxies are not supported/,
    },
    {
      name: 'insecure-skip-tls-verify on an installation that does not allow it',
      text: kubeconfig({
        cluster: { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
      }),
      path: 'clusters[0].cluster.insecure-skip-tls-verify',
      message: /skipping TLS verification is not allowed/,
    },
    {
      name: 'a CA together with insecure-skip-tls-verify',
      text: kubeconfig({ cluster: { 'insecure-skip-tls-verify': true } }),
      allowInsecure: true,
      path: 'clusters[0].cluster.insecure-skip-tls-verify',
      message: /contradict/,
    },
    {
      name: 'an exec plugin in a user the chosen context does not use',
      text: kubeconfig({
        extra: {
          users: [
            { name: 'prod-user', user: { token: 't' } },
            { name: 'gke', user: { exec: { command: 'gke-gcloud-auth-plugin' } } },
          ],
        },
      }),
      path: 'users[1].user.exec',
      message: /exec plugins are refused/,
    },
    {
      name: 'a plain http server',
      text: kubeconfig({ cluster: { server: 'http://10.0.0.1:8080' } }),
      path: 'clusters[0].cluster.server',
      message: /must use https/,
    },
    {
      name: 'a cloud metadata address as server',
      text: kubeconfig({ cluster: { server: 'https://169.254.169.254' } }),
      path: 'clusters[0].cluster.server',
      message: /link-local/,
    },
    {
      name: 'no current-context',
      text: kubeconfig({ currentContext: null }),
      path: 'current-context',
      message: /current-context is not set/,
    },
    {
      name: 'a current-context that does not exist',
      text: kubeconfig({ currentContext: 'staging' }),
      path: 'current-context',
      message: /context "staging" is not defined in contexts \(defined: "prod"\)/,
    },
    {
      name: 'a context naming a missing cluster',
      text: kubeconfig({
        extra: { contexts: [{ name: 'prod', context: { cluster: 'nope', user: 'prod-user' } }] },
      }),
      path: 'contexts[0].context.cluster',
      message: /cluster "nope" is not defined/,
    },
    {
      name: 'a user without credentials',
      text: kubeconfig({ user: {} }),
      path: 'users[0].user',
      message: /no credentials/,
    },
    {
      name: 'a token and a client certificate at once',
      text: kubeconfig({
        user: {
          token: 't',
          'client-certificate-data': TEST_CERT_DATA,
          'client-key-data': TEST_KEY_DATA,
        },
      }),
      path: 'users[0].user',
      message: /either token or client-certificate-data/,
    },
    {
      name: 'a certificate without its key',
      text: kubeconfig({ user: { 'client-certificate-data': TEST_CERT_DATA } }),
      path: 'users[0].user.client-key-data',
      message: /needs client-key-data/,
    },
    {
      name: 'a key that does not match the certificate',
      text: kubeconfig({
        user: { 'client-certificate-data': TEST_CERT_DATA, 'client-key-data': OTHER_KEY_DATA },
      }),
      path: 'users[0].user.client-key-data',
      message: /does not match/,
    },
    {
      name: 'a CA that is not base64 of a PEM certificate',
      text: kubeconfig({ cluster: { 'certificate-authority-data': 'bm90IGEgY2VydA==' } }),
      path: 'clusters[0].cluster.certificate-authority-data',
      message: /base64 of a PEM block/,
    },
    {
      name: 'a token that is not a string',
      text: kubeconfig({ user: { token: 12345 } }),
      path: 'users[0].user.token',
      message: /expected string/,
    },
    {
      name: 'two clusters with the same name',
      text: kubeconfig({
        extra: {
          clusters: [
            { name: 'prod-cluster', cluster: { server: SERVER } },
            { name: 'prod-cluster', cluster: { server: 'https://10.0.0.2' } },
          ],
        },
      }),
      path: 'clusters[1].name',
      message: /duplicate name "prod-cluster"/,
    },
    {
      name: 'two YAML documents',
      text: `${kubeconfig()}\n---\n${kubeconfig()}`,
      path: '',
      message: /more than one YAML document/,
    },
    {
      name: 'a YAML list instead of a mapping',
      text: '- a\n- b\n',
      path: '',
      message: /not a YAML mapping/,
    },
    {
      name: 'a duplicated key',
      text: 'current-context: a\ncurrent-context: b\n',
      path: '',
      message: /not valid YAML at line 2, column 1 \(DUPLICATE_KEY\)/,
    },
    {
      name: 'an alias bomb',
      text: [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        ...'bcdefghijkl'
          .split('')
          .map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefghijkl'[i]}`).join(', ')}]`),
      ].join('\n'),
      path: '',
      message: /too many YAML aliases/,
    },
  ];

  it.each(cases)('$name', ({ text, allowInsecure = false, path, message }) => {
    const error = errorOf(() => parseKubeconfig(text, { allowInsecure }));
    expect(error.path).toBe(path);
    expect(error.issues[0]?.message).toMatch(message);
  });

  it('lists every refused field at once', () => {
    const error = errorOf(() =>
      parseKubeconfig(
        kubeconfig({
          cluster: { 'certificate-authority': '/ca' },
          user: { exec: { command: 'x' }, tokenFile: '/t' },
        }),
        { allowInsecure: false },
      ),
    );
    expect(error.issues.map(({ path }) => path)).toEqual([
      'clusters[0].cluster.certificate-authority',
      'users[0].user.exec',
      'users[0].user.tokenFile',
    ]);
  });

  it('never runs an exec plugin: the command that would create a file does not', () => {
    const marker = path.join(tmpdir(), `flotilla-exec-${process.pid}-${Date.now()}`);
    const text = kubeconfig({
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: '/bin/sh',
          args: [
            '-c',
            `touch ${marker}; echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"x"}}'`,
          ],
        },
      },
    });
    const error = errorOf(() => parseKubeconfig(text, { allowInsecure: false }));
    expect(error.path).toBe('users[0].user.exec');
    expect(existsSync(marker)).toBe(false);
  });

  it('never quotes the document in a YAML error (it may hold a token)', () => {
    const error = errorOf(() =>
      parseKubeconfig('users:\n- user: { token: "s3cr3t-value" \n', { allowInsecure: false }),
    );
    expect(error.message).not.toContain('s3cr3t');
  });
});
