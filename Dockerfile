# syntax=docker/dockerfile:1
# One image for the three roles of Flotilla; the command picks the role:
#   web      (default)  next start on port 3000: the dashboard and /api/v1
#   worker              node apps/worker/dist/main.mjs (BullMQ workers, /metrics on 9464)
#   migrate             node --import tsx scripts/migrate.ts (run once per release, before the rest)
# Build: docker build -t flotilla:dev .   (the Helm chart in deploy/helm/flotilla runs all three)

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- manifests: only the package.json files, so that the install below is redone only when
# one of them (or the lock file) changes, not on every source edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY apps ./apps
COPY packages ./packages
RUN find . -type f ! -name package.json -delete && find . -type d -empty -delete

# ---- build: install, generate the Prisma client, build the web and the worker -----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
COPY --from=manifests /src ./
# The project's .npmrc sets ignore-scripts; --ignore-scripts says it again in case the file is
# left out: no dependency needs an install script (see .npmrc).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# Development dependencies stay: the migration runs through tsx from the root's tools, and an
# untested prune is a broken image waiting to happen. Pruning is a later size optimisation.
RUN npm run db:generate \
    && npm run build --workspace @flotilla/web \
    && npm run build --workspace @flotilla/worker \
    && rm -rf apps/web/.next/cache

# ---- runtime -------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# git: the worker fetches repositories with the git CLI. tini: signals reach node as PID 1's
# child, so SIGTERM starts the worker's graceful shutdown.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    FLOTILLA_LOG_FORMAT=json \
    FLOTILLA_GIT_CACHE_DIR=/var/lib/flotilla/git-cache \
    FLOTILLA_WORKER_METRICS_HOST=0.0.0.0 \
    FLOTILLA_WORKER_METRICS_PORT=9464
COPY --from=build --chown=root:root /app /app
# Writable places for a non-root user with a read-only root filesystem: mount volumes there
# (the Helm chart mounts emptyDirs) or they stay in the container layer.
RUN mkdir -p /var/lib/flotilla/git-cache /app/apps/web/.next/cache \
    && chown -R 1000:1000 /var/lib/flotilla /app/apps/web/.next/cache
# The node image's unprivileged "node" user, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000 9464
ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"]
CMD ["web"]
