-- DropIndex
DROP INDEX "BundleRender_bundleId_commit_customization_key";

-- AlterTable
ALTER TABLE "BundleRender" ADD COLUMN     "clusterId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "isPerCluster" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "apiVersions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "apiVersionsAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "BundleRender_bundleId_commit_customization_clusterId_key" ON "BundleRender"("bundleId", "commit", "customization", "clusterId");

