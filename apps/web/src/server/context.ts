import 'server-only';
import { createLogger, loadWebConfig, type WebConfig } from '@flotilla/config';
import { SecretBox, TrustedProxies, type CoreContext, type OidcSettings } from '@flotilla/core';
import { createDb } from '@flotilla/db';
import { createRedis, JobQueues } from '@flotilla/jobs';
import { configureAddressPolicy } from '@flotilla/net';

export interface WebContext {
  config: WebConfig;
  core: CoreContext;
  trustedProxies: TrustedProxies;
  /** Single sign-on, when FLOTILLA_OIDC_ISSUER is set. */
  oidc: OidcSettings | undefined;
}

const globalForContext = globalThis as unknown as { flotillaWebContext?: WebContext };

/**
 * The web's one CoreContext, built on first use and kept on globalThis (Next's dev server
 * reloads modules; a second pool per reload would exhaust Postgres). Configuration is parsed
 * here once: a bad value ends the process with one line (see instrumentation.ts).
 */
export function webContext(): WebContext {
  if (globalForContext.flotillaWebContext) return globalForContext.flotillaWebContext;
  const config = loadWebConfig();
  // Before anything validates a URL: registration checks follow the configured networks.
  configureAddressPolicy({
    denied: config.FLOTILLA_DENIED_NETWORKS,
    allowed: config.FLOTILLA_ALLOWED_NETWORKS,
  });
  const logger = createLogger({
    name: 'web',
    level: config.FLOTILLA_LOG_LEVEL,
    format: config.FLOTILLA_LOG_FORMAT,
  });
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection problem'));
  const core: CoreContext = {
    db: createDb({ databaseUrl: config.DATABASE_URL }),
    redis,
    queues: new JobQueues(redis),
    secrets: new SecretBox(config.FLOTILLA_SECRET_KEY),
    logger,
    now: () => new Date(),
    allowFileGitUrls: config.FLOTILLA_ALLOW_FILE_GIT_URLS,
    allowInsecureGitUrls: config.FLOTILLA_ALLOW_INSECURE_GIT,
    historyPerDeployment: config.FLOTILLA_HISTORY_PER_DEPLOYMENT,
  };
  globalForContext.flotillaWebContext = {
    config,
    core,
    trustedProxies: new TrustedProxies(config.FLOTILLA_TRUSTED_PROXIES),
    oidc:
      config.FLOTILLA_OIDC_ISSUER && config.FLOTILLA_OIDC_CLIENT_ID
        ? {
            issuer: config.FLOTILLA_OIDC_ISSUER,
            clientId: config.FLOTILLA_OIDC_CLIENT_ID,
            clientSecret: config.FLOTILLA_OIDC_CLIENT_SECRET,
            allowedDomains: config.FLOTILLA_OIDC_ALLOWED_DOMAINS,
            groupsClaim: config.FLOTILLA_OIDC_GROUPS_CLAIM,
            roleMap: config.FLOTILLA_OIDC_ROLE_MAP,
          }
        : undefined,
  };
  return globalForContext.flotillaWebContext;
}
