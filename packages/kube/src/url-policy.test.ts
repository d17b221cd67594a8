import { describe, expect, it } from 'vitest';
import { checkApiServerUrl, UnsafeUrlError } from './url-policy.ts';

// The address policy itself (CIDR settings, IP spellings, the guarded lookup) is tested in
// packages/net; these are the API-server rules on top of it (https only, unresolved accepted).

describe('checkApiServerUrl', () => {
  const refused: { url: string; reason: UnsafeUrlError['reason']; message: RegExp }[] = [
    {
      url: 'https://169.254.169.254',
      reason: 'ForbiddenAddress',
      message: /169\.254\.169\.254 is a link-local address/,
    },
    { url: 'https://169.254.170.2:443/v2', reason: 'ForbiddenAddress', message: /link-local/ },
    {
      url: 'https://[fe80::1]:6443',
      reason: 'ForbiddenAddress',
      message: /fe80::1 is a link-local address/,
    },
    {
      url: 'https://100.100.100.200',
      reason: 'ForbiddenAddress',
      message: /a cloud metadata address/,
    },
    {
      url: 'https://[fd00:ec2::254]',
      reason: 'ForbiddenAddress',
      message: /a cloud metadata address/,
    },
    // Other spellings of 169.254.169.254 that string checks miss.
    { url: 'https://[::ffff:169.254.169.254]', reason: 'ForbiddenAddress', message: /link-local/ },
    { url: 'https://0xa9fea9fe', reason: 'ForbiddenAddress', message: /link-local/ },
    { url: 'https://2852039166', reason: 'ForbiddenAddress', message: /link-local/ },
    { url: 'https://169.254.169.254./', reason: 'ForbiddenAddress', message: /link-local/ },
    {
      url: 'https://metadata.google.internal',
      reason: 'ForbiddenAddress',
      message: /metadata endpoint/,
    },
    {
      url: 'https://METADATA.google.internal.',
      reason: 'ForbiddenAddress',
      message: /metadata endpoint/,
    },
    { url: 'https://0.0.0.0:6443', reason: 'ForbiddenAddress', message: /unspecified/ },
    { url: 'https://[::]:6443', reason: 'ForbiddenAddress', message: /unspecified/ },
    {
      url: 'http://10.0.0.1:6443',
      reason: 'InsecureScheme',
      message: /must use https \(got http\)/,
    },
    { url: 'http://127.0.0.1:8001', reason: 'InsecureScheme', message: /must use https/ },
    { url: 'file:///etc/passwd', reason: 'InsecureScheme', message: /must use https \(got file\)/ },
    {
      url: 'https://admin:secret@10.0.0.1',
      reason: 'CredentialsInUrl',
      message: /must not carry a user name or password/,
    },
    { url: 'not a url', reason: 'InvalidUrl', message: /not a valid URL/ },
  ];

  it.each(refused)('refuses $url', async ({ url, reason, message }) => {
    const error = await checkApiServerUrl(url).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect(error).toMatchObject({ reason });
    expect((error as Error).message).toMatch(message);
  });

  it('never puts URL credentials in its message', async () => {
    await expect(checkApiServerUrl('https://admin:hunter2@10.0.0.1')).rejects.toThrow(
      /^(?!.*hunter2)/,
    );
  });

  const allowed = [
    'https://10.0.0.1:6443',
    'https://192.168.1.20:6443',
    'https://127.0.0.1:6443',
    'https://[::1]:6443',
    'https://172.16.0.1/k8s/clusters/c-m-1234',
    'https://100.64.0.1',
  ];

  it.each(allowed)('accepts %s', async (url) => {
    await expect(checkApiServerUrl(url)).resolves.toBeUndefined();
  });

  it('refuses a host name that resolves to a metadata address, whatever else it resolves to', async () => {
    const resolveHost = async () => [
      { address: '10.0.0.5', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    await expect(checkApiServerUrl('https://k8s.example.com', { resolveHost })).rejects.toThrow(
      'the API server host k8s.example.com resolves to 169.254.169.254, a link-local address (cloud metadata lives there)',
    );
  });

  it('accepts a host name resolving to private addresses, and one that does not resolve (yet)', async () => {
    const privateOnly = async () => [{ address: '10.0.0.5', family: 4 }];
    await expect(
      checkApiServerUrl('https://k8s.internal', { resolveHost: privateOnly }),
    ).resolves.toBeUndefined();
    const notFound = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(
      checkApiServerUrl('https://k8s.internal', { resolveHost: notFound }),
    ).resolves.toBeUndefined();
  });
});
