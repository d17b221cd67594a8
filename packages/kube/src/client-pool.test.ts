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
});
