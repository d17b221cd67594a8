import { describe, expect, it } from 'vitest';
import { ProblemError, queryString } from './api.ts';

describe('ProblemError', () => {
  const problem = new ProblemError({
    type: 'urn:flotilla:problem:validation-failed',
    title: 'Validation failed',
    status: 422,
    detail: 'kubeconfig.users[0].user.exec: exec plugins are not allowed',
    errors: [
      { path: 'kubeconfig.users[0].user.exec', message: 'exec plugins are not allowed' },
      { path: 'labels.env', message: 'must be at most 253 characters' },
      { path: 'targets[1].clusterSelector', message: 'unexpected "(" at position 4' },
    ],
  });

  it.each([
    ['kubeconfig', 'exec plugins are not allowed'],
    ['labels.env', 'must be at most 253 characters'],
    ['labels', 'must be at most 253 characters'],
    ['targets[1]', 'unexpected "(" at position 4'],
    ['targets[1].clusterSelector', 'unexpected "(" at position 4'],
    ['targets[10]', undefined],
    ['label', undefined],
    ['name', undefined],
  ])('the error for %s', (path, expected) => {
    expect(problem.fieldError(path)).toBe(expected);
  });

  it('lists the errors of fields the form does not show', () => {
    expect(problem.otherErrors(['kubeconfig', 'labels']).map((error) => error.path)).toEqual([
      'targets[1].clusterSelector',
    ]);
  });
});

describe('queryString', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(
      queryString({ selector: 'env in (prod,test)', bundle: '', cursor: undefined, limit: 50 }),
    ).toBe('?selector=env+in+%28prod%2Ctest%29&limit=50');
    expect(queryString({ selector: '' })).toBe('');
  });
});
