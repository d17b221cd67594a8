import { describe, expect, it } from 'vitest';
import { ClusterClientPool } from './client-pool.ts';
import type { ClusterConnection } from './connection.ts';

const connection = (token: string): ClusterConnection => ({
  apiServerUrl: 'https://10.0.0.1:6443',
  insecureSkipTlsVerify: false,
  credentials: { kind: 'token', token },
});

describe('ClusterClientPool (no request is made: clients connect lazily)', () => {
  it('hands every job the same client for a cluster, and decrypts credentials once', () => {
    const pool = new ClusterClientPool();
    let connects = 0;
    const connect = () => {
      connects += 1;
      return connection('t1');
    };
    const first = pool.get('cluster-1', 'v1', connect);
    expect(pool.get('cluster-1', 'v1', connect)).toBe(first);
    expect(pool.get('cluster-2', 'v1', connect)).not.toBe(first);
    expect(connects).toBe(2);
    pool.closeAll();
  });

  it('replaces the client when the credentials version changes', () => {
    const pool = new ClusterClientPool();
    const old = pool.get('cluster-1', 'v1', () => connection('t1'));
    const renewed = pool.get('cluster-1', 'v2', () => connection('t2'));
    expect(renewed).not.toBe(old);
    expect(pool.size).toBe(1);
    pool.closeAll();
  });

  it('evict forgets a cluster', () => {
    const pool = new ClusterClientPool();
    const old = pool.get('cluster-1', 'v1', () => connection('t1'));
    pool.evict('cluster-1');
    expect(pool.size).toBe(0);
    expect(pool.get('cluster-1', 'v1', () => connection('t1'))).not.toBe(old);
    pool.closeAll();
  });

  it('refuses to make a client for an unsafe URL', () => {
    const pool = new ClusterClientPool();
    expect(() =>
      pool.get('cluster-1', 'v1', () => ({
        ...connection('t'),
        apiServerUrl: 'https://169.254.169.254',
      })),
    ).toThrow(/link-local/);
  });

  it('holds a shared slot of the cluster around each request, after the process bound', async () => {
    const events: string[] = [];
    let releaseFirst: (() => void) | undefined;
    const pool = new ClusterClientPool({
      concurrency: 2,
      acquireSharedSlot: async (clusterId) => {
        events.push(`take ${clusterId}`);
        return async () => {
          events.push(`give ${clusterId}`);
        };
      },
      // No network: the wire answers at once, except the first request, which waits.
      wrapTransport: () => async (request) => {
        events.push(`send ${new URL(request.url).pathname}`);
        if (request.url.endsWith('/first')) {
          await new Promise<void>((resolve) => (releaseFirst = resolve));
        }
        return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
      },
    });
    const client = pool.get('cluster-1', 'v1', () => connection('t1'));
    const first = client.request({ method: 'GET', path: '/first' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['take cluster-1', 'send /first']);
    await client.request({ method: 'GET', path: '/second' });
    releaseFirst?.();
    await first;
    expect(events).toEqual([
      'take cluster-1',
      'send /first',
      'take cluster-1',
      'send /second',
      'give cluster-1',
      'give cluster-1',
    ]);
    pool.closeAll();
  });

  it('sends nothing when no shared slot comes free', async () => {
    let sent = 0;
    const pool = new ClusterClientPool({
      acquireSharedSlot: async () => {
        throw new Error('no request slot for this cluster came free within 60 s');
      },
      wrapTransport: () => async () => {
        sent += 1;
        return { status: 200, headers: {}, body: '{}' };
      },
    });
    const client = pool.get('cluster-1', 'v1', () => connection('t1'));
    await expect(client.request({ method: 'GET', path: '/api' })).rejects.toThrow(/came free/);
    expect(sent).toBe(0);
    pool.closeAll();
  });
});
