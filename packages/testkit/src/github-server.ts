import { createPublicKey, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors as joseErrors, jwtVerify } from 'jose';
import { githubOpenApi } from './github-openapi.ts';

/** One request the local GitHub server received, in arrival order, with what it answered. */
export interface GithubRequest {
  method: string;
  /** The path without the query, e.g. /repos/acme/fleet/statuses/<sha>. */
  path: string;
  query: Record<string, string>;
  /** GitHub's operation id (repos/create-commit-status) when the path matched one. */
  operationId?: string;
  params: Record<string, string>;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
  /** The credential presented: a token or a JWT, without the scheme. */
  credential?: string;
  /** How the request was authenticated (or was refused before). */
  authKind?: 'token' | 'installation' | 'app';
  status: number;
}

export interface GithubStatusRecord {
  id: number;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
}

export interface GithubCheckRunRecord {
  id: number;
  owner: string;
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  output: Record<string, unknown> | null;
  details_url: string | null;
  external_id: string | null;
  updates: number;
}

export interface GithubInstallationToken {
  token: string;
  installationId: number;
  expiresAt: Date;
}

export interface GithubAppRegistration {
  appId: number;
  /** The app's public key (PEM or a KeyObject): the JWTs it signs are checked against it. */
  publicKey: string | KeyObject;
  installations: { id: number; owner: string }[];
  /** Lifetime of the installation tokens it mints (GitHub: 3600 s). Tests use a few seconds. */
  tokenLifetimeSeconds?: number;
}

/** An injected failure: what GitHub does when it is down or when a client is over its limit. */
export type GithubFailure =
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
  | { kind: 'rate-limit'; resetInSeconds?: number }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number };

export interface GithubServer {
  /** The REST API base URL, as a GitHub Enterprise connection would name it. */
  url: string;
  requests: () => GithubRequest[];
  /** Statuses posted on a commit, oldest first. */
  statuses: (owner: string, repo: string, sha: string) => GithubStatusRecord[];
  checkRuns: () => GithubCheckRunRecord[];
  installationTokens: () => GithubInstallationToken[];
  /** Whether GitHub would take this token now (a personal token, or an unexpired installation token). */
  isValidToken: (token: string) => boolean;
  /** A personal access token the server accepts for every repository. */
  addToken: (token: string) => void;
  addApp: (app: GithubAppRegistration) => void;
  /** Answers the next `times` matching requests with the failure. */
  failNext: (
    failure: GithubFailure,
    times?: number,
    match?: (request: GithubRequest) => boolean,
  ) => void;
  /** Every request fails this way until called with null (an outage). */
  setOutage: (failure: GithubFailure | null) => void;
  close: () => Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;

interface RegisteredApp {
  appId: number;
  key: KeyObject;
  installations: Map<number, string>;
  tokenLifetimeSeconds: number;
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A GitHub-compatible REST server on loopback for tests (GitHub itself is not reachable here).
 * Every request is checked against GitHub's OpenAPI description (method, path, path parameters,
 * query, JSON body): one that does not match is answered 422 "Invalid request." as GitHub does,
 * and an unknown path 404. It authenticates like GitHub: personal tokens, GitHub App JWTs
 * (RS256, checked against the app's public key, at most 10 minutes long) and the installation
 * tokens it mints (refused after their expires_at). It answers the operations Flotilla uses with
 * realistic bodies and rate-limit headers, records every request, and can fail on demand (500s,
 * primary and secondary rate limits) to test retries and outages.
 */
export async function startGithubServer(): Promise<GithubServer> {
  const spec = githubOpenApi();
  const recorded: GithubRequest[] = [];
  const personalTokens = new Set<string>();
  const apps = new Map<number, RegisteredApp>();
  const installationTokens = new Map<string, GithubInstallationToken>();
  const statuses = new Map<string, GithubStatusRecord[]>();
  const checkRuns = new Map<number, GithubCheckRunRecord>();
  const pending: { failure: GithubFailure; left: number; match?: (r: GithubRequest) => boolean }[] =
    [];
  let outage: GithubFailure | null = null;
  let nextId = 1000;
  let used = 0;

  const send = (
    response: ServerResponse,
    entry: GithubRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    entry.status = status;
    used += 1;
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
      ...headers,
    });
    response.end(body === undefined ? '' : JSON.stringify(body));
  };

  const sendFailure = (response: ServerResponse, entry: GithubRequest, failure: GithubFailure) => {
    switch (failure.kind) {
      case 'server-error':
        send(response, entry, failure.status ?? 500, { message: 'Server Error' });
        return;
      case 'rate-limit': {
        const reset = Math.floor(Date.now() / 1000) + (failure.resetInSeconds ?? 1);
        send(
          response,
          entry,
          403,
          {
            message: 'API rate limit exceeded for installation.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
          },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        );
        return;
      }
      case 'secondary-rate-limit':
        send(
          response,
          entry,
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          },
          { 'retry-after': String(failure.retryAfterSeconds ?? 1) },
        );
        return;
    }
  };

  /** Checks a GitHub App JWT: RS256, signed by a registered app, iss = app id, ≤ 10 minutes. */
  const verifyAppJwt = async (
    jwt: string,
  ): Promise<{ ok: true; app: RegisteredApp } | { ok: false; message: string }> => {
    const issuer = (() => {
      try {
        const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
        return Number((payload as { iss?: unknown }).iss);
      } catch {
        return Number.NaN;
      }
    })();
    const app = apps.get(issuer);
    if (!app) return { ok: false, message: 'A JSON web token could not be decoded' };
    try {
      const { payload } = await jwtVerify(jwt, app.key, { algorithms: ['RS256'] });
      if (payload.iat === undefined || payload.exp === undefined)
        return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value" };
      if (payload.exp - payload.iat > 600)
        return {
          ok: false,
          message: "'Expiration time' claim ('exp') is too far in the future",
        };
      if (payload.iat > Math.floor(Date.now() / 1000) + 60)
        return {
          ok: false,
          message:
            "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
        };
      return { ok: true, app };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        return {
          ok: false,
          message:
            "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
        };
      return { ok: false, message: 'A JSON web token could not be decoded' };
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const raw = await readBody(request);
    const entry: GithubRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      params: {},
      body: undefined,
      status: 0,
    };
    recorded.push(entry);
    const authorization = request.headers.authorization ?? '';
    const credential = /^(?:token|bearer)\s+(.+)$/i.exec(authorization)?.[1];
    if (credential) entry.credential = credential;

    if (raw.trim() !== '') {
      try {
        entry.body = JSON.parse(raw);
      } catch {
        send(response, entry, 400, { message: 'Problems parsing JSON', documentation_url: DOCS });
        return;
      }
    }
    if (outage) {
      sendFailure(response, entry, outage);
      return;
    }
    const injected = pending.find((item) => item.left > 0 && (item.match?.(entry) ?? true));
    if (injected) {
      injected.left -= 1;
      sendFailure(response, entry, injected.failure);
      return;
    }

    const checked = spec.check({
      method: entry.method,
      path: entry.path,
      query: entry.query,
      body: entry.body,
    });
    if (!checked.ok && checked.status === 404) {
      send(response, entry, 404, {
        message: 'Not Found',
        documentation_url: DOCS,
        errors: checked.errors,
      });
      return;
    }
    if (checked.ok) {
      entry.operationId = checked.operation.operationId;
      entry.params = checked.operation.params;
    }

    // Authentication before validation, as GitHub answers 401 before it looks at the body.
    const isAppEndpoint = entry.path.startsWith('/app') || entry.path.endsWith('/installation');
    let installationOwner: string | undefined;
    let app: RegisteredApp | undefined;
    if (!credential) {
      send(response, entry, 401, { message: 'Requires authentication', documentation_url: DOCS });
      return;
    }
    if (isAppEndpoint) {
      const verified = await verifyAppJwt(credential);
      if (!verified.ok) {
        send(response, entry, 401, { message: verified.message, documentation_url: DOCS });
        return;
      }
      entry.authKind = 'app';
      app = verified.app;
    } else if (personalTokens.has(credential)) {
      entry.authKind = 'token';
    } else {
      const token = installationTokens.get(credential);
      if (!token || token.expiresAt.getTime() <= Date.now()) {
        send(response, entry, 401, { message: 'Bad credentials', documentation_url: DOCS });
        return;
      }
      entry.authKind = 'installation';
      installationOwner = [...apps.values()]
        .map((registered) => registered.installations.get(token.installationId))
        .find((owner) => owner !== undefined);
    }

    if (!checked.ok) {
      send(response, entry, 422, {
        message: `${checked.message}\n\n${checked.errors.join('\n')}`,
        documentation_url: DOCS,
        status: '422',
      });
      return;
    }
    const { params } = checked.operation;
    if (
      installationOwner !== undefined &&
      params.owner !== undefined &&
      params.owner.toLowerCase() !== installationOwner.toLowerCase()
    ) {
      send(response, entry, 404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    const body = (entry.body ?? {}) as Record<string, unknown>;
    const repoKey = (sha: string) =>
      `${params.owner?.toLowerCase()}/${params.repo?.toLowerCase()}@${sha}`;
    const repoUrl = `${'http://' + (request.headers.host ?? '127.0.0.1')}/repos/${params.owner}/${params.repo}`;

    switch (checked.operation.operationId) {
      case 'apps/create-installation-access-token': {
        const installationId = Number(params.installation_id);
        if (!app?.installations.has(installationId)) {
          send(response, entry, 404, { message: 'Not Found', documentation_url: DOCS });
          return;
        }
        const token = `ghs_${randomBytes(18).toString('base64url')}`;
        const expiresAt = new Date(Date.now() + app.tokenLifetimeSeconds * 1000);
        installationTokens.set(token, { token, installationId, expiresAt });
        send(response, entry, 201, {
          token,
          expires_at: expiresAt.toISOString(),
          permissions: { statuses: 'write', checks: 'write', contents: 'read', metadata: 'read' },
          repository_selection: 'all',
        });
        return;
      }
      case 'apps/get-repo-installation': {
        const found = [...(app?.installations.entries() ?? [])].find(
          ([, owner]) => owner.toLowerCase() === params.owner?.toLowerCase(),
        );
        if (!found || !app) {
          send(response, entry, 404, { message: 'Not Found', documentation_url: DOCS });
          return;
        }
        send(response, entry, 200, {
          id: found[0],
          app_id: app.appId,
          target_type: 'Organization',
          account: { login: found[1], id: 1, type: 'Organization' },
          permissions: { statuses: 'write', checks: 'write', contents: 'read', metadata: 'read' },
          events: ['push', 'pull_request'],
          repository_selection: 'all',
          created_at: nowIso(),
          updated_at: nowIso(),
        });
        return;
      }
      case 'repos/create-commit-status': {
        const key = repoKey(params.sha ?? '');
        const record: GithubStatusRecord = {
          id: nextId++,
          state: body.state as GithubStatusRecord['state'],
          description: (body.description as string | null | undefined) ?? null,
          target_url: (body.target_url as string | null | undefined) ?? null,
          context: (body.context as string | undefined) ?? 'default',
          created_at: nowIso(),
        };
        // GitHub refuses a description over 140 characters with a validation error.
        if ((record.description?.length ?? 0) > 140) {
          send(response, entry, 422, {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'Status',
                code: 'custom',
                field: 'description',
                message: 'description is too long (maximum is 140 characters)',
              },
            ],
            documentation_url: DOCS,
          });
          return;
        }
        statuses.set(key, [...(statuses.get(key) ?? []), record]);
        send(response, entry, 201, {
          ...record,
          url: `${repoUrl}/statuses/${params.sha}`,
          avatar_url: null,
          node_id: `SC_${record.id}`,
          updated_at: record.created_at,
          creator: null,
        });
        return;
      }
      case 'repos/list-commit-statuses-for-ref':
      case 'repos/get-combined-status-for-ref': {
        const list = [...(statuses.get(repoKey(params.ref ?? '')) ?? [])].reverse();
        const shaped = list.map((record) => ({
          ...record,
          url: `${repoUrl}/statuses/${params.ref}`,
          avatar_url: null,
          node_id: `SC_${record.id}`,
          updated_at: record.created_at,
          creator: null,
        }));
        if (checked.operation.operationId === 'repos/list-commit-statuses-for-ref') {
          send(response, entry, 200, shaped);
          return;
        }
        // The combined status keeps the newest status per context.
        const latest = new Map<string, (typeof shaped)[number]>();
        for (const status of shaped)
          if (!latest.has(status.context)) latest.set(status.context, status);
        const states = [...latest.values()].map((status) => status.state);
        const state = states.some((s) => s === 'failure' || s === 'error')
          ? 'failure'
          : states.length > 0 && states.every((s) => s === 'success')
            ? 'success'
            : 'pending';
        send(response, entry, 200, {
          state,
          statuses: [...latest.values()],
          sha: params.ref,
          total_count: latest.size,
          repository: { full_name: `${params.owner}/${params.repo}` },
          commit_url: `${repoUrl}/commits/${params.ref}`,
          url: `${repoUrl}/commits/${params.ref}/status`,
        });
        return;
      }
      case 'checks/create':
      case 'checks/update': {
        const isCreate = checked.operation.operationId === 'checks/create';
        const id = isCreate ? nextId++ : Number(params.check_run_id);
        const existing = checkRuns.get(id);
        if (!isCreate && !existing) {
          send(response, entry, 404, { message: 'Not Found', documentation_url: DOCS });
          return;
        }
        const merged: GithubCheckRunRecord = {
          id,
          owner: params.owner ?? '',
          repo: params.repo ?? '',
          head_sha: (body.head_sha as string | undefined) ?? existing?.head_sha ?? '',
          name: (body.name as string | undefined) ?? existing?.name ?? '',
          status:
            (body.status as string | undefined) ??
            (body.conclusion ? 'completed' : (existing?.status ?? 'queued')),
          conclusion: (body.conclusion as string | undefined) ?? existing?.conclusion ?? null,
          output: (body.output as Record<string, unknown> | undefined) ?? existing?.output ?? null,
          details_url: (body.details_url as string | undefined) ?? existing?.details_url ?? null,
          external_id: (body.external_id as string | undefined) ?? existing?.external_id ?? null,
          updates: (existing?.updates ?? -1) + 1,
        };
        checkRuns.set(id, merged);
        send(response, entry, isCreate ? 201 : 200, {
          id,
          head_sha: merged.head_sha,
          node_id: `CR_${id}`,
          external_id: merged.external_id,
          url: `${repoUrl}/check-runs/${id}`,
          html_url: `https://github.com/${params.owner}/${params.repo}/runs/${id}`,
          details_url: merged.details_url,
          status: merged.status,
          conclusion: merged.conclusion,
          started_at: nowIso(),
          completed_at: merged.status === 'completed' ? nowIso() : null,
          output: {
            title: (merged.output?.title as string | undefined) ?? null,
            summary: (merged.output?.summary as string | undefined) ?? null,
            text: (merged.output?.text as string | undefined) ?? null,
            annotations_count: 0,
            annotations_url: `${repoUrl}/check-runs/${id}/annotations`,
          },
          name: merged.name,
          check_suite: { id: 1 },
          app: null,
          pull_requests: [],
        });
        return;
      }
      case 'repos/get':
        send(response, entry, 200, {
          id: randomInt(1, 1_000_000),
          name: params.repo,
          full_name: `${params.owner}/${params.repo}`,
          private: true,
          owner: { login: params.owner },
          default_branch: 'main',
          permissions: { admin: false, push: true, pull: true },
        });
        return;
      default:
        send(response, entry, 501, {
          message: `the local GitHub server does not implement ${checked.operation.operationId}`,
        });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `local GitHub server failed: ${String(error)}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...recorded],
    statuses: (owner, repo, sha) => [
      ...(statuses.get(`${owner.toLowerCase()}/${repo.toLowerCase()}@${sha}`) ?? []),
    ],
    checkRuns: () => [...checkRuns.values()],
    installationTokens: () => [...installationTokens.values()],
    isValidToken: (token) =>
      personalTokens.has(token) ||
      (installationTokens.get(token)?.expiresAt.getTime() ?? 0) > Date.now(),
    addToken: (token) => personalTokens.add(token),
    addApp: ({ appId, publicKey, installations, tokenLifetimeSeconds = 3600 }) => {
      apps.set(appId, {
        appId,
        key: typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey,
        installations: new Map(installations.map(({ id, owner }) => [id, owner])),
        tokenLifetimeSeconds,
      });
    },
    failNext: (failure, times = 1, match) =>
      pending.push({ failure, left: times, ...(match ? { match } : {}) }),
    setOutage: (failure) => {
      outage = failure;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
