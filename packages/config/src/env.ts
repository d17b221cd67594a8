import { parseNetworkList } from '@flotilla/net';
import { z } from 'zod';

/**
 * Configuration is parsed once per runtime from the environment, here and nowhere else.
 * A missing or malformed value stops the process with one line naming the variable.
 */

const postgresUrl = z
  .string({ error: 'is not set' })
  .min(1, 'is not set')
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: 'must be a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/flotilla',
  });

const redisUrl = z
  .string({ error: 'is not set' })
  .min(1, 'is not set')
  .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: 'must be a redis:// URL with the database index, e.g. redis://127.0.0.1:6379/0',
  })
  .refine((value) => /^\/?\d*$/.test(new URL(value).pathname), {
    error: 'the path must be a database index, e.g. redis://127.0.0.1:6379/0',
  });

const secretKey = z
  .string({ error: 'is not set (generate one with: openssl rand -base64 32)' })
  .refine((value) => Buffer.from(value, 'base64').length === 32, {
    error: 'must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)',
  });

const booleanFlag = z
  .enum(['0', '1'])
  .optional()
  .transform((value) => value === '1');

const ROLES = ['viewer', 'operator', 'admin'] as const;

/** One entry of FLOTILLA_OIDC_ROLE_MAP: members of `group` get `role` in the workspace named so. */
export interface OidcRoleGrant {
  group: string;
  workspace: string;
  role: (typeof ROLES)[number];
}

// "group:workspace:role,...": the group is before the first colon and the role after the last,
// so a workspace name may itself hold colons.
const roleMap = z
  .string()
  .default('')
  .transform((text, context): OidcRoleGrant[] => {
    const grants: OidcRoleGrant[] = [];
    for (const entry of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const first = entry.indexOf(':');
      const last = entry.lastIndexOf(':');
      const group = entry.slice(0, first).trim();
      const workspace = entry.slice(first + 1, last).trim();
      const role = entry.slice(last + 1).trim();
      if (first < 0 || first === last || !group || !workspace) {
        context.addIssue({
          code: 'custom',
          message: `has "${entry}"; write each entry as group:workspace:role`,
        });
        return z.NEVER;
      }
      if (!(ROLES as readonly string[]).includes(role)) {
        context.addIssue({
          code: 'custom',
          message: `has "${entry}", whose role is not one of ${ROLES.join(', ')}`,
        });
        return z.NEVER;
      }
      grants.push({ group, workspace, role: role as OidcRoleGrant['role'] });
    }
    return grants;
  });

const domainList = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(/[\s,]+/)
      .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
  );

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A CIDR list ("10.0.0.0/8, fd00::/8"; bare addresses are single hosts) for the outbound
 * address policy of @flotilla/net. `why` names the variable in refusal messages.
 */
const networkList = (why: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      const result = parseNetworkList(value ?? '', why);
      if (result.ok) return result.networks;
      context.addIssue({ code: 'custom', message: `is not a CIDR list: ${result.message}` });
      return z.NEVER;
    });

const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info');

const shared = {
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  FLOTILLA_SECRET_KEY: secretKey,
  FLOTILLA_LOG_LEVEL: logLevel,
  FLOTILLA_LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
  /**
   * Applies kept per deployment in its history (GET /deployments/{id}/history); older ones go.
   * Both runtimes write history: the worker for pushed clusters, the web for agent reports.
   */
  FLOTILLA_HISTORY_PER_DEPLOYMENT: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * When set, GET /metrics (web and worker) asks for `Authorization: Bearer <this>`. Unset,
   * /metrics is open: Prometheus usually scrapes from inside the cluster, and the figures
   * carry counts and durations only, never names or secrets.
   */
  FLOTILLA_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  FLOTILLA_DEMO: booleanFlag,
  /** The first admin, created while the database has no user. */
  FLOTILLA_ADMIN_EMAIL: z.email('must be an email address').optional(),
  FLOTILLA_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** file:// repository URLs (tests, the local demo); never for a shared installation. */
  FLOTILLA_ALLOW_FILE_GIT_URLS: booleanFlag,
  /**
   * Outbound address policy (API servers, Git remotes). Always refused whatever these say:
   * link-local (cloud metadata), the other metadata addresses, "this host", multicast.
   * Loopback and private ranges are allowed by default because clusters and Git servers live
   * there; an installation serving untrusted users narrows them here. A deny list adds
   * refusals; an allow list, when set, is the only reachable space (it never re-allows).
   */
  FLOTILLA_DENIED_NETWORKS: networkList('in FLOTILLA_DENIED_NETWORKS'),
  FLOTILLA_ALLOWED_NETWORKS: networkList('allowed'),
  /**
   * Plain http:// Git remotes beyond loopback. Off: without TLS anyone on the path can change
   * what is deployed to every cluster, and read the repository's credentials.
   */
  FLOTILLA_ALLOW_INSECURE_GIT: booleanFlag,
};

const webEnvSchemaFields = z.object({
  ...shared,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  FLOTILLA_BOOTSTRAP_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Set when served behind HTTPS: cookies get `Secure`, and Origin checks use it. */
  FLOTILLA_PUBLIC_URL: z.url('must be a URL such as https://flotilla.example.com').optional(),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (CIDR list). Empty: the client is the
   * socket's peer, whatever headers it sends.
   */
  FLOTILLA_TRUSTED_PROXIES: networkList('a trusted proxy'),
  /** `0` turns email + password sign-in off (single sign-on only). */
  FLOTILLA_LOCAL_LOGIN: z
    .enum(['0', '1'])
    .default('1')
    .transform((value) => value === '1'),
  FLOTILLA_OIDC_ISSUER: z
    .url('must be the issuer URL, e.g. https://accounts.example.com')
    .optional()
    .refine(
      (value) =>
        value === undefined ||
        new URL(value).protocol === 'https:' ||
        LOOPBACK_HOSTS.has(new URL(value).hostname),
      { error: 'must be an https:// URL (plain http only on the loopback address, for tests)' },
    ),
  FLOTILLA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  FLOTILLA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Email domains allowed to sign in with single sign-on; empty allows the issuer's every user. */
  FLOTILLA_OIDC_ALLOWED_DOMAINS: domainList,
  FLOTILLA_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  FLOTILLA_OIDC_ROLE_MAP: roleMap,
});

/** The web's configuration, with the cross-variable rules of single sign-on checked. */
export const webEnvSchema = webEnvSchemaFields.superRefine((config, context) => {
  if (config.FLOTILLA_OIDC_ISSUER && !config.FLOTILLA_OIDC_CLIENT_ID) {
    context.addIssue({
      code: 'custom',
      path: ['FLOTILLA_OIDC_CLIENT_ID'],
      message: 'is not set (FLOTILLA_OIDC_ISSUER is)',
    });
  }
  if (!config.FLOTILLA_LOCAL_LOGIN && !config.FLOTILLA_OIDC_ISSUER) {
    context.addIssue({
      code: 'custom',
      path: ['FLOTILLA_LOCAL_LOGIN'],
      message: 'is 0, but no FLOTILLA_OIDC_ISSUER is set: nobody could sign in',
    });
  }
});

export const workerEnvSchema = z
  .object({
    ...shared,
    FLOTILLA_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
    FLOTILLA_CLUSTER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /**
     * Whom FLOTILLA_CLUSTER_CONCURRENCY binds: `fleet`, all worker processes together (a
     * Redis-backed semaphore per cluster, one more Redis round trip per request), or `process`,
     * each worker process on its own (N processes make up to N times as many requests).
     */
    FLOTILLA_CLUSTER_LIMIT_SCOPE: z.enum(['fleet', 'process']).default('fleet'),
    /**
     * BullMQ's job lock: a worker renews it while a job runs; a job whose lock lapsed (its
     * worker died) is taken up again by another worker within about this long (stalled check).
     */
    FLOTILLA_JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
    /** Budget of one request to a cluster (one object, or one LIST), body included. */
    FLOTILLA_CLUSTER_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
    /** Timeouts or connection failures in a row after which a cluster's requests fail fast. */
    FLOTILLA_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
    /** First wait before a trial request to such a cluster; doubles per failed trial. */
    FLOTILLA_BREAKER_RETRY_SECONDS: z.coerce.number().int().min(1).default(2),
    FLOTILLA_BREAKER_RETRY_CAP_SECONDS: z.coerce.number().int().min(1).default(120),
    /** Deploy slots one cluster may hold; unset: max(1, ceil(slots / clusters with work)). */
    FLOTILLA_CLUSTER_SLOT_SHARE: z.coerce.number().int().min(1).optional(),
    FLOTILLA_MONITOR_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
    FLOTILLA_PROBE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
    FLOTILLA_PROBE_BACKOFF_CAP_SECONDS: z.coerce.number().int().min(1).default(120),
    /** The sweeper re-queues work that was queued this long ago and has not happened. */
    FLOTILLA_REQUEUE_AFTER_SECONDS: z.coerce.number().int().min(1).default(60),
    FLOTILLA_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(15),
    /**
     * A git sync that would remove more than this share of a repo's bundles (of 2 or more) is
     * held until an operator confirms it: a deleted folder or a glob that stopped matching must
     * not prune everything.
     */
    FLOTILLA_MAX_BUNDLE_REMOVAL_SHARE: z.coerce.number().min(0).max(1).default(0.5),
    /** The dashboard's public URL: GitHub commit statuses link to the repo's page there. */
    FLOTILLA_PUBLIC_URL: z.url('must be a URL such as https://flotilla.example.com').optional(),
    /** How often a commit still rolling out has its GitHub commit status checked again. */
    FLOTILLA_GITHUB_STATUS_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    /** How often the scheduler looks for due probes, monitors and polls. */
    FLOTILLA_TICK_SECONDS: z.coerce.number().int().min(1).default(2),
    /**
     * Tests only: a file holding milliseconds added to the worker's clock (ctx.now), read again
     * when it changes. Tests move time forward (sync windows opening) instead of sleeping.
     */
    FLOTILLA_CLOCK_OFFSET_FILE: z.string().min(1).optional(),
    FLOTILLA_GIT_CACHE_DIR: z.string().min(1).default('.flotilla/git-cache'),
    /** Helm charts downloaded from repositories, one archive per sha256, next to the git cache. */
    FLOTILLA_CHART_CACHE_DIR: z.string().min(1).default('.flotilla/chart-cache'),
    /** Bounds of the chart cache; beyond them the least recently used archives are evicted. */
    FLOTILLA_CHART_CACHE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024 * 1024)
      .default(1024 * 1024 * 1024),
    FLOTILLA_CHART_CACHE_MAX_FILES: z.coerce.number().int().min(1).default(1000),
    FLOTILLA_MAX_BUNDLE_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 1024 * 1024),
    /** The worker's GET /metrics (Prometheus); in-use port: the process runs without one. */
    FLOTILLA_WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(9464),
    /** Loopback by default; 0.0.0.0 in a container (the Helm chart and the image set it). */
    FLOTILLA_WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** Written by kube-sim for the demo (npm start with FLOTILLA_DEMO=1). */
    FLOTILLA_DEMO_FLEET_FILE: z.string().optional(),
    FLOTILLA_DEMO_REPO_URL: z.string().optional(),
    FLOTILLA_DEMO_PATHS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((path) => path.trim())
          .filter(Boolean),
      ),
    PATH: z.string().optional(),
    HTTPS_PROXY: z.string().optional(),
    NO_PROXY: z.string().optional(),
    GIT_SSL_CAINFO: z.string().optional(),
  })
  // git runs with an empty environment except for these (packages/git).
  .transform((config) => ({
    ...config,
    gitEnvironment: Object.fromEntries(
      Object.entries({
        PATH: config.PATH,
        HTTPS_PROXY: config.HTTPS_PROXY,
        NO_PROXY: config.NO_PROXY,
        GIT_SSL_CAINFO: config.GIT_SSL_CAINFO,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  }));

export type WebConfig = z.infer<typeof webEnvSchema>;
export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Parses the environment; throws a ConfigError whose message is one line per problem. */
export function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Environment,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    return `${variable} ${issue.message}`;
  });
  throw new ConfigError(lines.join('; '));
}

/**
 * Parses the environment or ends the process with one readable line. Runtimes call this
 * first thing, so nothing half-starts with a bad configuration.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Environment = process.env,
): z.infer<Schema> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`flotilla: configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

export function loadWebConfig(env: Environment = process.env): WebConfig {
  return loadConfig(webEnvSchema, env);
}

export function loadWorkerConfig(env: Environment = process.env): WorkerConfig {
  return loadConfig(workerEnvSchema, env);
}
