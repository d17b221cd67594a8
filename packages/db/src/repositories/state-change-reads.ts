import { queryRows, type Db } from '../client.ts';
import { Prisma } from '../generated/prisma/client.ts';

/*
 * Small reads that run once per batch of state changes or per monitor pass (thousands a minute
 * at 1000 clusters), on the driver (`queryRows`): through Prisma each cost more CPU in its query
 * compiler than in Postgres.
 */

export interface BundleSettingsRow {
  id: string;
  paused: boolean;
  /** The bundle's options column (fleet.yaml as stored); read it with bundleOptionsOf. */
  options: Prisma.JsonValue;
}

/** Paused flag and options of these bundles (any workspace; ids not found are left out). */
export async function readBundleSettings(
  db: Db,
  bundleIds: readonly string[],
): Promise<BundleSettingsRow[]> {
  if (bundleIds.length === 0) return [];
  return queryRows<BundleSettingsRow>(
    db,
    Prisma.sql`SELECT id, paused, options FROM "Bundle" WHERE id = ANY(${[...new Set(bundleIds)]}::text[])`,
  );
}

/**
 * The bundles of a workspace whose options name a dependsOn that is not empty (present or not:
 * the caller decides). Usually none, from one indexed scan of the workspace's bundles.
 */
export async function readBundlesWithDependsOn(
  db: Db,
  workspaceId: string,
  { presentOnly = false, exceptId }: { presentOnly?: boolean; exceptId?: string } = {},
): Promise<BundleSettingsRow[]> {
  return queryRows<BundleSettingsRow>(
    db,
    Prisma.sql`
      SELECT id, paused, options FROM "Bundle"
      WHERE "workspaceId" = ${workspaceId}
        AND coalesce(options -> 'dependsOn', '[]'::jsonb) <> '[]'::jsonb
        AND (${!presentOnly} OR "isPresent")
        AND id <> ${exceptId ?? ''}`,
  );
}

export interface EnabledNotificationRule {
  id: string;
  workspaceId: string;
  events: string[];
  windowSeconds: number;
}

/** The enabled notification rules of these workspaces. */
export async function readEnabledNotificationRules(
  db: Db,
  workspaceIds: readonly string[],
): Promise<EnabledNotificationRule[]> {
  if (workspaceIds.length === 0) return [];
  return queryRows<EnabledNotificationRule>(
    db,
    Prisma.sql`
      SELECT id, "workspaceId", events, "windowSeconds" FROM "NotificationRule"
      WHERE "workspaceId" = ANY(${[...new Set(workspaceIds)]}::text[]) AND "isEnabled"
      ORDER BY id`,
  );
}
