export const dynamic = 'force-dynamic';

/**
 * Liveness: the process answers HTTP. It asks no dependency on purpose: a Postgres outage
 * must not make Kubernetes restart every web pod (which would not bring Postgres back);
 * readiness (/api/v1/health/ready) takes the pod out of the Service instead.
 */
export const GET = (): Response =>
  Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
