import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedWrite } from '../src/audit/audited-write.ts';

describe('auditedWrite: a change and its audit row in one transaction', () => {
  let database: TestDatabase;
  const principal = {
    kind: 'user' as const,
    id: 'user-1',
    label: 'ada@example.com',
    workspaceId: 'ws-audit',
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.workspace.create({ data: { id: 'ws-audit', name: 'audit' } });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('writes the change and its row together, the row naming what the change returned', async () => {
    const group = await auditedWrite({
      ctx: { db: database.db },
      principal,
      origin: { ip: '203.0.113.9' },
      write: (tx) =>
        tx.clusterGroup.create({
          data: { workspaceId: 'ws-audit', name: 'edge', selector: {}, labels: {} },
        }),
      audit: (created) => ({
        action: 'cluster-group.create',
        objectType: 'cluster-group',
        objectId: created.id,
        details: { name: created.name },
      }),
    });
    const entries = await database.db.auditEntry.findMany({ where: { objectId: group.id } });
    expect(entries).toMatchObject([
      {
        workspaceId: 'ws-audit',
        actorLabel: 'ada@example.com',
        action: 'cluster-group.create',
        ip: '203.0.113.9',
        details: { name: 'edge' },
      },
    ]);
  });

  it('keeps neither when the change fails after writing', async () => {
    await expect(
      auditedWrite({
        ctx: { db: database.db },
        principal,
        write: async (tx) => {
          await tx.clusterGroup.create({
            data: { workspaceId: 'ws-audit', name: 'doomed', selector: {}, labels: {} },
          });
          throw new Error('the second half of the change failed');
        },
        audit: () => ({ action: 'cluster-group.create', objectType: 'cluster-group' }),
      }),
    ).rejects.toThrow('the second half of the change failed');
    expect(await database.db.clusterGroup.findFirst({ where: { name: 'doomed' } })).toBeNull();
    expect(await database.db.auditEntry.count({ where: { action: 'cluster-group.create' } })).toBe(
      1,
    );
  });

  it('keeps neither when the audit row cannot be written', async () => {
    await expect(
      auditedWrite({
        ctx: { db: database.db },
        principal,
        write: (tx) =>
          tx.clusterGroup.create({
            data: { workspaceId: 'ws-audit', name: 'unaudited', selector: {}, labels: {} },
          }),
        // A NUL byte is refused by PostgreSQL in text: the audit insert fails.
        audit: () => ({ action: 'cluster-group.create\u0000', objectType: 'cluster-group' }),
      }),
    ).rejects.toThrow();
    expect(await database.db.clusterGroup.findFirst({ where: { name: 'unaudited' } })).toBeNull();
  });
});
