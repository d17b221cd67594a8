import { describe, expect, it } from 'vitest';
import { classifyGitFailure, scrubSecrets, summarizeStderr } from './git-failure.ts';

describe('scrubSecrets', () => {
  it.each([
    {
      name: 'userinfo in a URL',
      text: "fatal: unable to access 'https://alice:hunter22@git.example.com/repo.git/': 403",
      secrets: [],
      expected: "fatal: unable to access 'https://git.example.com/repo.git/': 403",
    },
    {
      name: 'a token as a username',
      text: 'remote: https://ghp_abcdef123456@github.com/o/r',
      secrets: [],
      expected: 'remote: https://github.com/o/r',
    },
    {
      name: 'a password printed on its own',
      text: 'error: password hunter22 rejected',
      secrets: ['hunter22'],
      expected: 'error: password *** rejected',
    },
    {
      name: 'a percent-encoded password',
      text: 'fatal: bad url http://x/p%40ss%3Aw0rd',
      secrets: ['p@ss:w0rd'],
      expected: 'fatal: bad url http://x/***',
    },
    {
      name: 'a secret that contains another one, longest first',
      text: 'tok: abc-longer-secret',
      secrets: ['abc', 'abc-longer-secret'],
      expected: 'tok: ***',
    },
    {
      name: 'empty and missing secrets change nothing',
      text: 'plain',
      secrets: ['', undefined],
      expected: 'plain',
    },
  ])('removes $name', ({ text, secrets, expected }) => {
    expect(scrubSecrets(text, secrets)).toBe(expected);
  });
});

describe('classifyGitFailure', () => {
  it.each([
    ["fatal: Authentication failed for 'http://127.0.0.1:4000/repo.git/'", 'AuthFailed'],
    [
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      'AuthFailed',
    ],
    ["fatal: unable to access 'https://h/r/': The requested URL returned error: 403", 'AuthFailed'],
    [
      "remote: Repository not found.\nfatal: repository 'https://github.com/o/nope/' not found",
      'NotFound',
    ],
    ["fatal: unable to access 'https://h/r/': The requested URL returned error: 404", 'NotFound'],
    ["fatal: '/tmp/x.git' does not appear to be a git repository", 'NotFound'],
    ["fatal: couldn't find remote ref refs/heads/nope", 'RefNotFound'],
    [
      'fatal: remote error: upload-pack: not our ref 0000000000000000000000000000000000000001',
      'RefNotFound',
    ],
    [
      "fatal: unable to access 'https://nohost.invalid/r/': Could not resolve host: nohost.invalid",
      'Unreachable',
    ],
    [
      "fatal: unable to access 'http://127.0.0.1:1/r/': Failed to connect to 127.0.0.1 port 1: Connection refused",
      'Unreachable',
    ],
    [
      "fatal: unable to access 'https://h/r/': SSL certificate problem: self-signed certificate",
      'Unreachable',
    ],
    [
      "fatal: unable to access 'https://h/r/': The requested URL returned error: 502",
      'Unreachable',
    ],
    ["fatal: transport 'file' not allowed", 'InvalidUrl'],
    ['fatal: bad object 1234', 'Failed'],
  ])('%s -> %s', (stderr, code) => {
    expect(classifyGitFailure(stderr)).toBe(code);
  });
});

describe('summarizeStderr', () => {
  it('keeps the fatal and error lines and drops the noise around them', () => {
    const stderr = 'hint: something\nremote: Counting objects\nerror: first\n\nfatal: second\n';
    expect(summarizeStderr(stderr)).toBe('remote: Counting objects; error: first; fatal: second');
  });

  it('falls back to the last line when git printed no fatal line', () => {
    expect(summarizeStderr('line one\nline two\n')).toBe('line two');
  });
});
