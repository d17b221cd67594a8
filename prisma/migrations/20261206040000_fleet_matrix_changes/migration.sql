-- The fleet matrix's ETag (GET /api/v1/fleet/matrix): every statement that changes what the
-- matrix shows of a BundleDeployment (its state, whether it is orphaned, which cell it is in)
-- appends one row here per workspace. The ETag is the sum of "weight" that the reader's
-- snapshot sees: a committed change always raises it, whatever order transactions commit in,
-- and writers never wait on each other (append-only, no shared counter row to lock).
-- Readers fold old rows into one of the same total weight (packages/db fleet-matrix-version.ts).
CREATE TABLE "FleetMatrixChange" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "weight" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "FleetMatrixChange_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "FleetMatrixChange_workspaceId_idx" ON "FleetMatrixChange"("workspaceId");

ALTER TABLE "FleetMatrixChange" ADD CONSTRAINT "FleetMatrixChange_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The matrix reads only these columns of a wide table: an index holding them lets Postgres
-- answer from the index (index-only scan) instead of reading every wide row.
CREATE INDEX "BundleDeployment_workspaceId_bundleId_clusterId_state_isOrphaned_idx" ON "BundleDeployment"("workspaceId", "bundleId", "clusterId", "state", "isOrphaned");

-- Statement-level triggers with transition tables: one append per statement and workspace,
-- however many rows a multi-row write touches; a write that leaves state, isOrphaned and the
-- cell unchanged (monitor passes that find nothing new) appends nothing.
CREATE FUNCTION "fleet_matrix_changed_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FleetMatrixChange" ("workspaceId")
  SELECT DISTINCT n."workspaceId" FROM fleet_matrix_new n;
  RETURN NULL;
END $$;

CREATE FUNCTION "fleet_matrix_changed_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A workspace being deleted takes its change rows with it (ON DELETE CASCADE): append only
  -- for workspaces that still exist.
  INSERT INTO "FleetMatrixChange" ("workspaceId")
  SELECT DISTINCT o."workspaceId" FROM fleet_matrix_old o
  WHERE EXISTS (SELECT 1 FROM "Workspace" w WHERE w.id = o."workspaceId");
  RETURN NULL;
END $$;

CREATE FUNCTION "fleet_matrix_changed_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FleetMatrixChange" ("workspaceId")
  SELECT DISTINCT changed."workspaceId" FROM (
    SELECT n."workspaceId", o."workspaceId" AS "oldWorkspaceId"
    FROM fleet_matrix_new n JOIN fleet_matrix_old o ON o.id = n.id
    WHERE n."state" IS DISTINCT FROM o."state"
       OR n."isOrphaned" IS DISTINCT FROM o."isOrphaned"
       OR n."bundleId" IS DISTINCT FROM o."bundleId"
       OR n."clusterId" IS DISTINCT FROM o."clusterId"
       OR n."workspaceId" IS DISTINCT FROM o."workspaceId"
  ) AS moved
  CROSS JOIN LATERAL (VALUES (moved."workspaceId"), (moved."oldWorkspaceId")) AS changed("workspaceId");
  RETURN NULL;
END $$;

CREATE TRIGGER "BundleDeployment_fleet_matrix_insert" AFTER INSERT ON "BundleDeployment"
  REFERENCING NEW TABLE AS fleet_matrix_new
  FOR EACH STATEMENT EXECUTE FUNCTION "fleet_matrix_changed_insert"();

CREATE TRIGGER "BundleDeployment_fleet_matrix_update" AFTER UPDATE ON "BundleDeployment"
  REFERENCING OLD TABLE AS fleet_matrix_old NEW TABLE AS fleet_matrix_new
  FOR EACH STATEMENT EXECUTE FUNCTION "fleet_matrix_changed_update"();

CREATE TRIGGER "BundleDeployment_fleet_matrix_delete" AFTER DELETE ON "BundleDeployment"
  REFERENCING OLD TABLE AS fleet_matrix_old
  FOR EACH STATEMENT EXECUTE FUNCTION "fleet_matrix_changed_delete"();
