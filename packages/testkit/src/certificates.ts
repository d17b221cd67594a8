import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caCertFile: string;
  caData: string;
  serverCertFile: string;
  serverKeyFile: string;
  serviceAccountKeyFile: string;
  serviceAccountCertFile: string;
}

let cached: TestPki | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A throw-away CA and a serving certificate for 127.0.0.1 signed by it, so that clients verify
 * the API server exactly as they would in production (caData), instead of skipping TLS checks.
 */
export function testPki(): TestPki {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-pki-'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3',
      '-subj',
      '/CN=flotilla-test-ca',
    ],
    dir,
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key'], dir);
  openssl(
    ['req', '-new', '-key', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver'],
    dir,
  );
  writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '3',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'sa.key', '-out', 'sa.crt', '-days', '3', '-subj', '/CN=sa'],
    dir,
  );
  cached = {
    dir,
    caCertFile: path.join(dir, 'ca.crt'),
    caData: readFileSync(path.join(dir, 'ca.crt')).toString('base64'),
    serverCertFile: path.join(dir, 'server.crt'),
    serverKeyFile: path.join(dir, 'server.key'),
    serviceAccountKeyFile: path.join(dir, 'sa.key'),
    serviceAccountCertFile: path.join(dir, 'sa.crt'),
  };
  return cached;
}
