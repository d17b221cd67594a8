import { describe, expect, it } from 'vitest';
import { chartCredentialsFor, chartLocation, isAtOrBelow } from './chart-credentials.ts';

const request = (repo: string, chart: string) => ({
  repo,
  chart,
  version: '',
  isInRepository: false,
});
const AUTH = { username: 'u', password: 'p' };

describe('chart credentials go only where the GitRepo allows', () => {
  it.each([
    ['https://charts.example.com/stable', 'https://charts.example.com', true],
    ['https://charts.example.com/', 'https://charts.example.com/', true],
    ['https://charts.example.com/team/web.tgz', 'https://charts.example.com/team', true],
    ['https://charts.example.com/teamevil/web.tgz', 'https://charts.example.com/team', false],
    ['https://charts.example.com.evil.io/x', 'https://charts.example.com', false],
    ['http://charts.example.com/x', 'https://charts.example.com', false],
    ['https://charts.example.com:8443/x', 'https://charts.example.com', false],
    ['https://user:pw@charts.example.com/x', 'https://charts.example.com', false],
    ['oci://registry.example.com/team/web', 'oci://registry.example.com/team', true],
    ['oci://registry.example.com/other/web', 'oci://registry.example.com/team', false],
    ['oci://registry.example.com/team/web', 'https://registry.example.com/team', false],
    ['not a url', 'https://charts.example.com', false],
  ])('%s under %s: %s', (location, prefix, expected) => {
    expect(isAtOrBelow(location, prefix)).toBe(expected);
  });

  it.each([
    [request('https://charts.example.com/stable', 'web'), 'https://charts.example.com/stable'],
    [request('', 'https://example.com/web-1.0.0.tgz'), 'https://example.com/web-1.0.0.tgz'],
    [request('', 'oci://registry.example.com/team/web'), 'oci://registry.example.com/team/web'],
    [request('oci://registry.example.com/team/', 'web'), 'oci://registry.example.com/team/web'],
  ])('locates %j at %s', (chart, location) => {
    expect(chartLocation(chart)).toBe(location);
  });

  it('gives every source the credentials without prefixes, and only the listed ones with', () => {
    const helm = request('https://charts.example.com/stable', 'web');
    const oci = request('', 'oci://registry.example.com/team/web');
    expect(chartCredentialsFor(helm, undefined)).toBeUndefined();
    expect(chartCredentialsFor(helm, AUTH)).toEqual(AUTH);
    const scoped = { ...AUTH, urlPrefixes: ['oci://registry.example.com/team'] };
    expect(chartCredentialsFor(oci, scoped)).toEqual(AUTH);
    expect(chartCredentialsFor(helm, scoped)).toBeUndefined();
    // A CA bundle alone sends no credentials.
    expect(chartCredentialsFor(helm, { caBundle: '-----BEGIN CERTIFICATE-----' })).toBeUndefined();
  });
});
