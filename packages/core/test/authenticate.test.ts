import type { Db } from '@flotilla/db';
import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, DEFAULT_WORKSPACE_NAME, hashSecret } from '../src/index.ts';

/*
 * Who a session cookie or the bootstrap token stands for, read from Postgres as every request
 * of the dashboard reads it: the session, its user and their membership of its workspace.
 */
describe('authenticate', () => {
  let database: TestDatabase;
  let db: Db;
  let now = new Date(Date.UTC(2026, 11, 7, 12, 0, 0));
  const ctx = () => ({ db, now: () => now });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function member(role: 'viewer' | 'operator' | 'admin') {
    const workspace = await db.workspace.create({ data: { name: `ws-${role}` } });
    const user = await db.user.create({
      data: { email: `${role}@example.test`, passwordHash: '' },
    });
    await db.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role } });
    const secret = `session-secret-${role}`;
    const session = await db.session.create({
      data: {
        tokenHash: hashSecret(secret),
        userId: user.id,
        workspaceId: workspace.id,
        expiresAt: new Date(now.getTime() + 60 * 60_000),
      },
    });
    return { workspace, user, secret, session };
  }

  it('answers the session user with the role of their membership in its workspace', async () => {
    const { workspace, user, secret, session } = await member('operator');
    expect(await authenticate({ ctx: ctx(), sessionSecret: secret })).toEqual({
      kind: 'user',
      id: user.id,
      userId: user.id,
      label: 'operator@example.test',
      workspaceId: workspace.id,
      role: 'operator',
      sessionId: session.id,
    });
    await db.membership.updateMany({ where: { userId: user.id }, data: { role: 'viewer' } });
    expect((await authenticate({ ctx: ctx(), sessionSecret: secret }))?.role).toBe('viewer');
  });

  it('answers nobody for an unknown or expired session, or a user no longer a member', async () => {
    const { user, secret, session } = await member('admin');
    expect(await authenticate({ ctx: ctx(), sessionSecret: 'no-such-session' })).toBeNull();

    const saved = now;
    now = new Date(session.expiresAt.getTime());
    expect(await authenticate({ ctx: ctx(), sessionSecret: secret })).toBeNull();
    now = new Date(session.expiresAt.getTime() - 1);
    expect((await authenticate({ ctx: ctx(), sessionSecret: secret }))?.userId).toBe(user.id);
    now = saved;

    await db.membership.deleteMany({ where: { userId: user.id } });
    expect(await authenticate({ ctx: ctx(), sessionSecret: secret })).toBeNull();
  });

  it('makes the bootstrap token an admin of the default workspace, created once', async () => {
    const first = await authenticate({
      ctx: ctx(),
      bearerToken: 'bootstrap-token-value',
      bootstrapToken: 'bootstrap-token-value',
    });
    const workspace = await db.workspace.findUniqueOrThrow({
      where: { name: DEFAULT_WORKSPACE_NAME },
    });
    expect(first).toMatchObject({ kind: 'bootstrap', role: 'admin', workspaceId: workspace.id });
    const again = await authenticate({
      ctx: ctx(),
      bearerToken: 'bootstrap-token-value',
      bootstrapToken: 'bootstrap-token-value',
    });
    expect(again?.workspaceId).toBe(workspace.id);
    expect(await db.workspace.count({ where: { name: DEFAULT_WORKSPACE_NAME } })).toBe(1);
    // Another token is not the bootstrap token.
    expect(
      await authenticate({
        ctx: ctx(),
        bearerToken: 'other',
        bootstrapToken: 'bootstrap-token-value',
      }),
    ).toBeNull();
  });
});
