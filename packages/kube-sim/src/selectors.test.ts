import { describe, expect, it } from 'vitest';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.ts';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier=back', false],
    ['version>2', true],
    ['version<3', false],
    ['app=', false],
  ])('%j matches %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    ['tier in front', "unable to parse requirement: found 'front' expected: '('"],
    ['app=web tier', "unable to parse requirement: found 'tier', expected: ',' or 'end of string'"],
    ['=web', "unable to parse requirement: found '=', expected: !, identifier, or 'end of string'"],
  ])('refuses %j with %j', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});

describe('field selectors', () => {
  const object = { metadata: { name: 'web', namespace: 'prod' }, type: 'Opaque' };
  it.each([
    ['metadata.name=web', '', 'ConfigMap', true],
    ['metadata.name==api', '', 'ConfigMap', false],
    ['metadata.namespace!=prod', '', 'ConfigMap', false],
    ['metadata.name=web,type=Opaque', '', 'Secret', true],
  ])('%j on %s/%s matches %s', (selector, group, kind, expected) => {
    expect(matchesFields(parseFieldSelector(selector, group, kind), object)).toBe(expected);
  });

  it('names the fields a kind supports when refusing another', () => {
    expect(() => parseFieldSelector('spec.x=y', '', 'ConfigMap')).toThrow(
      '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
});
