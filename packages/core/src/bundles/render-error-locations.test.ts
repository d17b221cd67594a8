import { describe, expect, it } from 'vitest';
import { templateErrorLocations } from './render-error-locations.ts';

describe('templateErrorLocations', () => {
  it.each([
    [
      'an execution error of the template engine',
      'defaults: app/chart: template: web/templates/deployment.yaml:12:3: executing "web/templates/deployment.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y (app/chart/templates/deployment.yaml)',
      [{ file: 'web/templates/deployment.yaml', line: 12, column: 3 }],
    ],
    [
      'fail and required',
      'prod: app/chart: execution error at (web/templates/secret.yaml:4:11): auth.password is required',
      [{ file: 'web/templates/secret.yaml', line: 4, column: 11 }],
    ],
    [
      'a parse error (no column)',
      'template: web/templates/x.yaml:5: function "nope" not defined',
      [{ file: 'web/templates/x.yaml', line: 5, column: null }],
    ],
    [
      'two customizations failing at two places',
      'dev: template: web/templates/a.yaml:1:2: x; prod: template: web/templates/b.yaml:3:4: y; test: template: web/templates/a.yaml:1:2: x',
      [
        { file: 'web/templates/a.yaml', line: 1, column: 2 },
        { file: 'web/templates/b.yaml', line: 3, column: 4 },
      ],
    ],
    ['an error that names no template', 'kustomize.dir "x" holds no kustomization.yaml', []],
  ])('%s', (_case, message, expected) => {
    expect(templateErrorLocations(message)).toEqual(expected);
  });
});
