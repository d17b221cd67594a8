/**
 * Runs once when the server starts: parse the configuration now, so a bad value stops the
 * process with one line instead of failing the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { loadWebConfig } = await import('@flotilla/config');
  loadWebConfig();
}
