-- AlterTable
ALTER TABLE "Bundle" ADD COLUMN     "pinnedAt" TIMESTAMP(3),
ADD COLUMN     "pinnedBy" TEXT,
ADD COLUMN     "pinnedCommit" TEXT;

-- CreateTable
CREATE TABLE "DeploymentHistory" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "commit" TEXT,
    "revisionHash" TEXT NOT NULL,
    "customization" TEXT NOT NULL DEFAULT '',
    "result" TEXT NOT NULL,
    "error" TEXT NOT NULL DEFAULT '',
    "trigger" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeploymentHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeploymentHistory_deploymentId_at_idx" ON "DeploymentHistory"("deploymentId", "at");

-- AddForeignKey
ALTER TABLE "DeploymentHistory" ADD CONSTRAINT "DeploymentHistory_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentHistory" ADD CONSTRAINT "DeploymentHistory_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "BundleDeployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

