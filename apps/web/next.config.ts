import type { NextConfig } from 'next';

const config: NextConfig = {
  // Parallel checkouts of the same tree (and parallel test runs) can build side by side.
  distDir: process.env.FLOTILLA_WEB_DIST_DIR || '.next',
  // Workspace packages are TypeScript source (docs/CONTRIBUTING.md): Next compiles them.
  transpilePackages: [
    '@flotilla/config',
    '@flotilla/core',
    '@flotilla/db',
    '@flotilla/engine',
    '@flotilla/git',
    '@flotilla/jobs',
    '@flotilla/kube',
    '@flotilla/net',
  ],
  // Node-only libraries with native parts or dynamic requires stay outside the bundle.
  serverExternalPackages: [
    '@kubernetes/client-node',
    '@node-rs/argon2',
    '@prisma/adapter-pg',
    'bullmq',
    'ioredis',
    'octokit',
    'pg',
    'pino',
    'pino-pretty',
  ],
  // next build type-checks the app only; tests are type-checked by `npm run typecheck`.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  devIndicators: false,
};

export default config;
