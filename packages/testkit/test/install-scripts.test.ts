import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/platform.ts';

const run = promisify(execFile);

/**
 * The repository's .npmrc must keep every dependency's install script from running: a package
 * with a postinstall that writes a marker file is installed with it, and the marker must not
 * appear, even when someone passes --dangerously-allow-all-scripts.
 */
describe('install scripts under the repository .npmrc', () => {
  let root: string;
  let tarball: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'flotilla-install-scripts-'));
    const source = path.join(root, 'marker-package');
    mkdirSync(source);
    writeFileSync(
      path.join(source, 'package.json'),
      JSON.stringify({
        name: 'flotilla-marker-package',
        version: '1.0.0',
        scripts: {
          // INIT_CWD is the folder npm was run in: the project installing this package.
          postinstall:
            "node -e \"require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, 'marker'), 'ran')\"",
        },
      }),
    );
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', root], {
      cwd: source,
    });
    tarball = path.join(root, stdout.trim());
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const install = async (name: string, flags: string[], { withRepoNpmrc = true } = {}) => {
    const project = path.join(root, name);
    mkdirSync(project);
    if (withRepoNpmrc) copyFileSync(path.join(REPO_ROOT, '.npmrc'), path.join(project, '.npmrc'));
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        private: true,
        dependencies: { 'flotilla-marker-package': `file:${tarball}` },
      }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', ...flags], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: project },
    });
    return {
      isInstalled: existsSync(path.join(project, 'node_modules/flotilla-marker-package')),
      hasScriptRun: existsSync(path.join(project, 'marker')),
    };
  };

  it('installs the package without running its postinstall', async () => {
    expect(await install('plain', [])).toEqual({ isInstalled: true, hasScriptRun: false });
  });

  it('runs no script even when told to allow them all', async () => {
    expect(await install('allow-all', ['--dangerously-allow-all-scripts'])).toEqual({
      isInstalled: true,
      hasScriptRun: false,
    });
  });

  it('uses a package whose script does run without that .npmrc (the test can fail)', async () => {
    expect(await install('control', [], { withRepoNpmrc: false })).toEqual({
      isInstalled: true,
      hasScriptRun: true,
    });
  });
});
