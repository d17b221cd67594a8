import type { GitErrorCode } from './errors.ts';

/**
 * Removes credentials from text that came out of git: userinfo in any URL, and every secret we
 * hold, as given and as git would have percent-encoded it. Secrets are replaced longest first so
 * a password that contains another secret cannot leave part of itself behind.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]*@/gi, '$1');
  const forms = secrets
    .filter((secret): secret is string => secret !== undefined && secret !== '')
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  for (const form of forms) scrubbed = scrubbed.split(form).join('***');
  return scrubbed;
}

/**
 * Which expected failure git's stderr describes. Git runs with LC_ALL=C, so these English
 * messages are what it prints; the order matters, because curl wraps 401 and 404 answers in the
 * same "unable to access" line as a refused connection.
 */
const FAILURE_PATTERNS: readonly [GitErrorCode, RegExp][] = [
  ['InvalidUrl', /transport '[^']*' not allowed|unsupported protocol|Unsupported protocol/i],
  [
    'AuthFailed',
    /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 40[13]\b|Invalid username or password|HTTP Basic: Access denied/i,
  ],
  [
    'NotFound',
    /Repository not found|returned error: 404\b|does not appear to be a git repository|repository '[^']*' not found|did you run git update-server-info/i,
  ],
  [
    'RefNotFound',
    /couldn't find remote ref|not our ref|no such remote ref|Remote branch \S+ not found/i,
  ],
  [
    'Unreachable',
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Couldn't connect to server|Network is unreachable|No route to host|Operation timed out|Empty reply from server|SSL certificate problem|SSL connect error|Recv failure|unable to access|returned error: 5\d\d\b|The remote end hung up unexpectedly/i,
  ],
];

export function classifyGitFailure(stderr: string): GitErrorCode {
  for (const [code, pattern] of FAILURE_PATTERNS) {
    if (pattern.test(stderr)) return code;
  }
  return 'Failed';
}

/** The lines of stderr worth showing to a user: git's `fatal:`/`error:` lines, else the last one. */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const important = lines.filter((line) => /^(fatal|error|remote):/i.test(line));
  const chosen = important.length > 0 ? important : lines.slice(-1);
  const summary = chosen.join('; ');
  return summary.length > 500 ? `${summary.slice(0, 497)}...` : summary;
}
