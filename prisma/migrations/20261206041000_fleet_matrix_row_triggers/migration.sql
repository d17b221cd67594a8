-- The statement-level triggers of 20261206040000_fleet_matrix_changes copied every updated
-- row, old and new (about 1.5 kB each with resources and counts), into transition tables: a
-- 1000-row status write cost well over half again as much. These row-level triggers instead
-- filter in C (WHEN) on the columns the matrix shows, so an unchanged row costs nothing, and
-- append at most one FleetMatrixChange row per transaction and workspace: a transaction-local
-- setting remembers the workspace last appended for (rolled back with a savepoint like the
-- append itself). One committed append is enough: the ETag is the visible sum of weights.
DROP TRIGGER "BundleDeployment_fleet_matrix_insert" ON "BundleDeployment";
DROP TRIGGER "BundleDeployment_fleet_matrix_update" ON "BundleDeployment";
DROP TRIGGER "BundleDeployment_fleet_matrix_delete" ON "BundleDeployment";
DROP FUNCTION "fleet_matrix_changed_insert"();
DROP FUNCTION "fleet_matrix_changed_update"();
DROP FUNCTION "fleet_matrix_changed_delete"();

CREATE FUNCTION "fleet_matrix_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  workspace TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD."workspaceId" ELSE NEW."workspaceId" END;
BEGIN
  IF current_setting('flotilla.fleet_matrix_changed', true) IS NOT DISTINCT FROM workspace THEN
    RETURN NULL;
  END IF;
  -- A workspace being deleted takes its change rows with it (ON DELETE CASCADE): its
  -- deployments' deletes append nothing.
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "Workspace" w WHERE w.id = workspace) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "FleetMatrixChange" ("workspaceId") VALUES (workspace);
  PERFORM set_config('flotilla.fleet_matrix_changed', workspace, true);
  IF TG_OP = 'UPDATE' AND OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId" THEN
    INSERT INTO "FleetMatrixChange" ("workspaceId") VALUES (OLD."workspaceId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BundleDeployment_fleet_matrix_insert" AFTER INSERT ON "BundleDeployment"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "BundleDeployment_fleet_matrix_update" AFTER UPDATE ON "BundleDeployment"
  FOR EACH ROW
  WHEN (OLD."state" IS DISTINCT FROM NEW."state"
     OR OLD."isOrphaned" IS DISTINCT FROM NEW."isOrphaned"
     OR OLD."bundleId" IS DISTINCT FROM NEW."bundleId"
     OR OLD."clusterId" IS DISTINCT FROM NEW."clusterId"
     OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId")
  EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "BundleDeployment_fleet_matrix_delete" AFTER DELETE ON "BundleDeployment"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();
