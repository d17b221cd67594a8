import { describe, expect, it } from 'vitest';
import { GitError } from './errors.ts';
import { isValidRefName, parseRemoteUrl } from './remote-url.ts';

describe('parseRemoteUrl', () => {
  it.each([
    ['https://github.com/o/r.git', 'https', 'github.com'],
    ['http://127.0.0.1:8080/repo.git', 'http', '127.0.0.1:8080'],
    ['https://github.com:443/o/r', 'https', 'github.com:443'],
  ])('accepts %s', (url, protocol, authority) => {
    expect(parseRemoteUrl(url)).toEqual({ url, protocol, authority });
  });

  it('accepts file:// only when allowed', () => {
    expect(parseRemoteUrl('file:///srv/repo.git', { allowFileUrls: true }).protocol).toBe('file');
    expect(() => parseRemoteUrl('file:///srv/repo.git')).toThrow(
      /file:\/\/ URLs are not supported/,
    );
  });

  it.each([
    ['git@github.com:o/r.git', /not a URL git can fetch/],
    ['/srv/repo.git', /not a URL git can fetch/],
    ['../other/repo', /not a URL git can fetch/],
    ['ext::sh -c touch% /tmp/pwned', /not a URL git can fetch/],
    ['ssh://git@github.com/o/r.git', /ssh:\/\/ URLs are not supported/],
    ['fd::17', /not a URL git can fetch/],
    ['https:///no-host', /has no host/],
    ['https://github.com/o/r with space', /not a valid repository URL/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRemoteUrl(url, { allowFileUrls: true })).toThrow(message);
  });

  it('refuses credentials in the URL without repeating them', () => {
    let caught: unknown;
    try {
      parseRemoteUrl('https://alice:hunter22@github.com/o/r.git');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GitError);
    expect((caught as GitError).code).toBe('InvalidUrl');
    expect((caught as GitError).message).toContain('https://github.com/o/r.git');
    expect((caught as GitError).message).not.toContain('hunter22');
    expect(() => parseRemoteUrl('https://alice:pa/ss@github.com/o/r.git')).toThrow(
      /^"https:\/\/github.com\/o\/r.git" carries credentials/,
    );
  });
});

describe('isValidRefName', () => {
  it.each([
    ['main', true],
    ['release/1.2', true],
    ['feature/x_y-z', true],
    ['v1.0.0', true],
    ['', false],
    ['-main', false],
    ['main:refs/heads/evil', false],
    ['refs/*', false],
    ['a..b', false],
    ['a b', false],
    ['main.lock', false],
    ['.hidden', false],
    ['dir/.hidden', false],
    ['trailing/', false],
    ['a//b', false],
    ['x@{1}', false],
    ['back\\slash', false],
    ['caret^', false],
  ])('%j -> %s', (name, expected) => {
    expect(isValidRefName(name)).toBe(expected);
  });
});
