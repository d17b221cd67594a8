// What `FLOTILLA_DEMO=1 npm start` prepares before the processes start: a CA and a serving
// certificate for the simulated clusters (Flotilla only talks https), and a local Git
// repository of example bundles (Rancher's fleet-examples when they sit next to the checkout,
// else demo/repo).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, STATE_DIR, say } from './prepare.mjs';

const DEFAULT_SHARED_DIR = process.env.FLOTILLA_SHARED_DIR ?? path.resolve(ROOT, '../shared');
/** The bundles of demo/repo, the demo's repository when fleet-examples are absent. */
export const DEMO_REPO_PATHS = ['guestbook', 'settings', 'hello'];
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

/**
 * A bare repository holding `source` on main. An existing one (an earlier `npm start`) gets a
 * new commit when `source` changed since (a pull that added a bundle), so the demo never
 * serves an old copy.
 */
function demoRepo(repoDir, source) {
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
  const isNew = !existsSync(path.join(repoDir, 'HEAD'));
  if (isNew) {
    execFileSync('git', ['init', '--bare', '--initial-branch=main', repoDir], { stdio: 'ignore' });
  }
  const work = mkdtempSync(path.join(tmpdir(), 'flotilla-demo-'));
  try {
    if (isNew) git(['init', '--initial-branch=main'], work);
    else git(['clone', '--quiet', '--branch', 'main', repoDir, work], tmpdir());
    for (const entry of readdirSync(work)) {
      if (entry !== '.git') rmSync(path.join(work, entry), { recursive: true, force: true });
    }
    cpSync(source, work, { recursive: true });
    git(['add', '--all'], work);
    const changes = execFileSync('git', ['status', '--porcelain'], { cwd: work, encoding: 'utf8' });
    if (changes.trim() === '') return;
    git(['commit', '--quiet', '-m', isNew ? 'Demo bundles' : 'Demo bundles (updated)'], work);
    git(['push', '--quiet', repoDir, 'main'], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Prepares the demo and returns the kube-sim arguments and the environment web and worker
 * need. `npm start` calls it with the defaults and puts `env` into its own environment; the
 * demo's browser test calls it with a state folder of its own and no shared folder, as a fresh
 * clone without `../shared` runs it.
 */
export function prepareDemo({
  stateDir = STATE_DIR,
  sharedDir = DEFAULT_SHARED_DIR,
  fleetFile = process.env.FLOTILLA_DEMO_FLEET_FILE,
  clusters = process.env.FLOTILLA_DEMO_CLUSTERS ?? '24',
} = {}) {
  const pki = path.join(stateDir, 'demo-pki');
  demoPki(pki);
  const fleetExamples = path.resolve(sharedDir, 'fixtures/fleet-examples');
  const hasFleetExamples = existsSync(fleetExamples);
  const repoDir = path.join(stateDir, 'demo-repo.git');
  demoRepo(repoDir, hasFleetExamples ? fleetExamples : path.join(ROOT, 'demo/repo'));
  say(
    `demo fleet: simulated clusters and ${hasFleetExamples ? "Rancher's fleet-examples" : 'demo/repo'} as the Git repository`,
  );
  const stateFile = fleetFile ?? path.join(stateDir, 'demo-fleet.json');
  rmSync(stateFile, { force: true });
  const env = {
    FLOTILLA_ALLOW_FILE_GIT_URLS: '1',
    FLOTILLA_DEMO_REPO_URL: `file://${repoDir}`,
    FLOTILLA_DEMO_PATHS: (hasFleetExamples ? FLEET_EXAMPLE_PATHS : DEMO_REPO_PATHS).join(','),
    FLOTILLA_DEMO_FLEET_FILE: stateFile,
  };
  return {
    env,
    simArgs: [
      '--clusters',
      clusters,
      '--state',
      stateFile,
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
