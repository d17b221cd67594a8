import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import { kustomizeBuild } from './index.ts';

/** A custom schema in which CronTab's spec.jobs merge by name. */
const SCHEMA = JSON.stringify({
  definitions: {
    CronTab: {
      properties: {
        spec: {
          properties: {
            jobs: {
              type: 'array',
              items: { type: 'object' },
              'x-kubernetes-patch-strategy': 'merge',
              'x-kubernetes-patch-merge-key': 'name',
            },
          },
        },
      },
      'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'CronTab' }],
    },
  },
});

const CRONTAB = `apiVersion: example.com/v1
kind: CronTab
metadata:
  name: backup
spec:
  jobs:
    - name: db
      args: [dump]
`;

const PATCH = `apiVersion: example.com/v1
kind: CronTab
metadata:
  name: backup
spec:
  jobs:
    - name: logs
      args: [rotate]
`;

function build(files: Record<string, string>, dir = 'app') {
  return kustomizeBuild(new Map(Object.entries(files)), dir);
}

function failure(files: Record<string, string>): EngineError {
  try {
    build(files);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('the build succeeded');
}

const jobsOf = (files: Record<string, string>, dir = 'app') =>
  (build(files, dir)[0]?.spec as { jobs: { name: string }[] }).jobs.map((job) => job.name);

describe('kustomize openapi (custom schema)', () => {
  it('merges a custom resource list by the schema key; without a schema it is replaced', () => {
    const files = {
      'app/kustomization.yaml': 'resources: [crontab.yaml]\npatches: [{path: patch.yaml}]\n',
      'app/crontab.yaml': CRONTAB,
      'app/patch.yaml': PATCH,
      'app/schema.json': SCHEMA,
    };
    expect(jobsOf(files)).toEqual(['logs']);
    const withSchema = {
      ...files,
      'app/kustomization.yaml': `openapi:\n  path: schema.json\n${files['app/kustomization.yaml']}`,
    };
    expect(jobsOf(withSchema)).toEqual(['logs', 'db']);
  });

  it("uses the built kustomization's schema over a base's", () => {
    const files = {
      'app/kustomization.yaml':
        'openapi: {path: empty.json}\nresources: [base]\npatches: [{path: patch.yaml}]\n',
      'app/empty.json': '{"definitions": {}}',
      'app/patch.yaml': PATCH,
      'app/base/kustomization.yaml': 'openapi: {path: schema.json}\nresources: [crontab.yaml]\n',
      'app/base/crontab.yaml': CRONTAB,
      'app/base/schema.json': SCHEMA,
    };
    expect(jobsOf(files)).toEqual(['logs']);
  });

  it('takes the built-in version as the schema in effect: a base then cannot set its own', () => {
    const files = {
      'app/kustomization.yaml':
        'openapi: {version: v1.21.2}\nresources: [base]\npatches: [{path: patch.yaml}]\n',
      'app/patch.yaml': PATCH,
      'app/base/kustomization.yaml': 'openapi: {path: schema.json}\nresources: [crontab.yaml]\n',
      'app/base/crontab.yaml': CRONTAB,
      'app/base/schema.json': SCHEMA,
    };
    expect(jobsOf(files)).toEqual(['logs']);
    const withoutVersion = {
      ...files,
      'app/kustomization.yaml': 'resources: [base]\npatches: [{path: patch.yaml}]\n',
    };
    expect(jobsOf(withoutVersion)).toEqual(['logs', 'db']);
  });

  it.each([
    {
      name: 'a version kustomize does not have built in',
      kustomization: 'openapi: {version: v1.30.0}\nresources: []\n',
      code: 'KustomizeFailed',
      message:
        /^app\/kustomization\.yaml: openapi: the specified OpenAPI version "v1\.30\.0" is not built in \(kustomize has only v1\.21\.2\)$/,
    },
    {
      name: 'both a version and a path',
      kustomization: 'openapi: {version: v1.21.2, path: schema.json}\nresources: []\n',
      code: 'KustomizeFailed',
      message: /^app\/kustomization\.yaml: openapi: builtin version and custom schema provided/,
    },
    {
      name: 'a missing schema file',
      kustomization: 'openapi: {path: gone.json}\nresources: []\n',
      code: 'KustomizeFailed',
      message: /openapi\.path: "gone\.json" \(app\/gone\.json\) does not exist/,
    },
    {
      name: 'a schema without definitions',
      kustomization: 'openapi: {path: bad.json}\nresources: []\n',
      code: 'KustomizeFailed',
      message: /^app\/bad\.json: invalid OpenAPI schema: expected a map "definitions"$/,
    },
    {
      name: 'an unknown openapi field',
      kustomization: 'openapi: {file: schema.json}\nresources: []\n',
      code: 'KustomizeFailed',
      message: /invalid Kustomization: unknown field file in openapi/,
    },
  ])('refuses $name with a clear error', ({ kustomization, code, message }) => {
    const error = failure({ 'app/kustomization.yaml': kustomization, 'app/bad.json': '[]' });
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
