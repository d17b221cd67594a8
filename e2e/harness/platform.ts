import { startPlatform, type Platform } from '@flotilla/testkit';

/** The platform with the worker's loops shortened, so a journey sees changes within seconds. */
export function startFastPlatform(env: Record<string, string> = {}): Promise<Platform> {
  return startPlatform({
    env: {
      FLOTILLA_MONITOR_INTERVAL_SECONDS: '2',
      FLOTILLA_PROBE_INTERVAL_SECONDS: '2',
      FLOTILLA_TICK_SECONDS: '1',
      FLOTILLA_SWEEP_INTERVAL_SECONDS: '2',
      ...env,
    },
  });
}

export async function apiJson<T>(
  platform: Platform,
  pathname: string,
  init?: Parameters<Platform['api']>[1],
): Promise<T> {
  const response = await platform.api(pathname, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${pathname}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
