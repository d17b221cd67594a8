// What `FLOTILLA_DEMO=1 npm start` prepares before the processes start: a CA and a serving
// certificate for the simulated clusters (Flotilla only talks https), and a local Git
// repository of example bundles (Rancher's fleet-examples when they sit next to the checkout,
// else demo/repo).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, STATE_DIR, say } from './prepare.mjs';

const FLEET_EXAMPLES = path.resolve(
  process.env.FLOTILLA_SHARED_DIR ?? path.resolve(ROOT, '../shared'),
  'fixtures/fleet-examples',
);
const FLEET_EXAMPLE_PATHS = [
  'simple',
  'single-cluster/manifests',
  'single-cluster/kustomize',
  'multi-cluster/manifests',
  'multi-cluster/kustomize',
];

function demoPki(dir) {
  if (existsSync(path.join(dir, 'server.crt'))) return;
  mkdirSync(dir, { recursive: true });
  const openssl = (args) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=flotilla-demo-ca',
  ]);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key']);
  openssl(['req', '-new', '-key', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-sim']);
  writeFileSync(
    path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl([
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
    '3650',
    '-extfile',
    'server.ext',
  ]);
}

function demoRepo(repoDir, source) {
  if (existsSync(path.join(repoDir, 'HEAD'))) return;
  const git = (args, cwd) =>
    execFileSync('git', args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Flotilla demo',
        GIT_AUTHOR_EMAIL: 'demo@flotilla.local',
        GIT_COMMITTER_NAME: 'Flotilla demo',
        GIT_COMMITTER_EMAIL: 'demo@flotilla.local',
      },
    });
  execFileSync('git', ['init', '--bare', '--initial-branch=main', repoDir], { stdio: 'ignore' });
  const work = mkdtempSync(path.join(tmpdir(), 'flotilla-demo-'));
  try {
    cpSync(source, work, { recursive: true });
    git(['init', '--initial-branch=main'], work);
    git(['add', '--all'], work);
    git(['commit', '--quiet', '-m', 'Demo bundles'], work);
    git(['push', '--quiet', repoDir, 'main'], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function prepareDemo() {
  const pki = path.join(STATE_DIR, 'demo-pki');
  demoPki(pki);
  const hasFleetExamples = existsSync(FLEET_EXAMPLES);
  const repoDir = path.join(STATE_DIR, 'demo-repo.git');
  demoRepo(repoDir, hasFleetExamples ? FLEET_EXAMPLES : path.join(ROOT, 'demo/repo'));
  say(
    `demo fleet: simulated clusters and ${hasFleetExamples ? "Rancher's fleet-examples" : 'demo/repo'} as the Git repository`,
  );
  process.env.FLOTILLA_ALLOW_FILE_GIT_URLS = '1';
  process.env.FLOTILLA_DEMO_REPO_URL = `file://${repoDir}`;
  process.env.FLOTILLA_DEMO_PATHS = hasFleetExamples
    ? FLEET_EXAMPLE_PATHS.join(',')
    : 'guestbook,settings';
  process.env.FLOTILLA_DEMO_FLEET_FILE ??= path.join(STATE_DIR, 'demo-fleet.json');
  rmSync(process.env.FLOTILLA_DEMO_FLEET_FILE, { force: true });
  return {
    simArgs: [
      '--clusters',
      process.env.FLOTILLA_DEMO_CLUSTERS ?? '24',
      '--state',
      process.env.FLOTILLA_DEMO_FLEET_FILE,
      '--tls-cert',
      path.join(pki, 'server.crt'),
      '--tls-key',
      path.join(pki, 'server.key'),
      '--tls-ca',
      path.join(pki, 'ca.crt'),
      '--ready-delay-ms',
      '3000',
      '--name-prefix',
      'demo',
    ],
  };
}
