-- The fleet matrix's ETag also covered its rows (clusters) and columns (bundles) by hashing them
-- in place at every request: at 1000 clusters that string_agg and md5 was most of a 304's time
-- (6 to 7 ms of its 7). The same row triggers as BundleDeployment's (20261206041000) now append
-- a FleetMatrixChange row when a cluster, bundle or Git repository changes what the matrix
-- shows of it, so the ETag is the sum of weights alone. Cluster "lastSeenAt" and the like are
-- left out on purpose: they change at every probe, and the matrix does not show them.

CREATE TRIGGER "Cluster_fleet_matrix_insert" AFTER INSERT ON "Cluster"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "Cluster_fleet_matrix_update" AFTER UPDATE ON "Cluster"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name"
     OR OLD."labels" IS DISTINCT FROM NEW."labels"
     OR OLD."connectivity" IS DISTINCT FROM NEW."connectivity"
     OR OLD."isSimulated" IS DISTINCT FROM NEW."isSimulated"
     OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId")
  EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "Cluster_fleet_matrix_delete" AFTER DELETE ON "Cluster"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "Bundle_fleet_matrix_insert" AFTER INSERT ON "Bundle"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "Bundle_fleet_matrix_update" AFTER UPDATE ON "Bundle"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name"
     OR OLD."isPresent" IS DISTINCT FROM NEW."isPresent"
     OR OLD."gitRepoId" IS DISTINCT FROM NEW."gitRepoId"
     OR OLD."paused" IS DISTINCT FROM NEW."paused"
     OR OLD."renderError" IS DISTINCT FROM NEW."renderError"
     OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId")
  EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "Bundle_fleet_matrix_delete" AFTER DELETE ON "Bundle"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();

-- A repository's name heads its bundles' columns; deleting it (deletedAt) hides them.
CREATE TRIGGER "GitRepo_fleet_matrix_update" AFTER UPDATE ON "GitRepo"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name"
     OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt"
     OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId")
  EXECUTE FUNCTION "fleet_matrix_changed"();

CREATE TRIGGER "GitRepo_fleet_matrix_delete" AFTER DELETE ON "GitRepo"
  FOR EACH ROW EXECUTE FUNCTION "fleet_matrix_changed"();
