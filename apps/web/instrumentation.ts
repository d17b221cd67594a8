/**
 * Runs once when the server starts: parse the configuration now, so a bad value stops the
 * process with one line instead of failing the first request; then make the first admin
 * (only while the database has no user).
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next's own switch (edge or nodejs), not our configuration.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { stampPeerAddresses } = await import('./src/server/peer-address.ts');
  stampPeerAddresses();
  const { webContext } = await import('./src/server/context.ts');
  const { ensureFirstAdmin } = await import('@flotilla/core');
  const { config, core } = webContext();
  try {
    await ensureFirstAdmin({
      ctx: core,
      email: config.FLOTILLA_ADMIN_EMAIL,
      password: config.FLOTILLA_ADMIN_PASSWORD,
    });
  } catch (error) {
    core.logger.error(
      { err: (error as Error).message },
      'could not create the first admin (is the database migrated?)',
    );
  }
}
