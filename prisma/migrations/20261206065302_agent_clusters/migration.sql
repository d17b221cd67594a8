-- CreateEnum
CREATE TYPE "ClusterConnectionKind" AS ENUM ('direct', 'agent');

-- AlterTable
ALTER TABLE "Cluster" DROP COLUMN "mode",
ADD COLUMN     "agentHeartbeatSeconds" INTEGER,
ADD COLUMN     "agentVersion" TEXT,
ADD COLUMN     "connectionKind" "ClusterConnectionKind" NOT NULL DEFAULT 'direct',
ADD COLUMN     "lastHeartbeatAt" TIMESTAMP(3),
ALTER COLUMN "apiServerUrl" DROP NOT NULL,
ALTER COLUMN "credentials" DROP NOT NULL;

-- CreateTable
CREATE TABLE "AgentRegistrationToken" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentRegistrationToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentCredential" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AgentCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AgentRegistrationToken_tokenHash_key" ON "AgentRegistrationToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AgentRegistrationToken_clusterId_idx" ON "AgentRegistrationToken"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "AgentCredential_secretHash_key" ON "AgentCredential"("secretHash");

-- CreateIndex
CREATE INDEX "AgentCredential_clusterId_idx" ON "AgentCredential"("clusterId");

-- CreateIndex
CREATE INDEX "Cluster_connectionKind_lastHeartbeatAt_idx" ON "Cluster"("connectionKind", "lastHeartbeatAt");

-- AddForeignKey
ALTER TABLE "AgentRegistrationToken" ADD CONSTRAINT "AgentRegistrationToken_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentRegistrationToken" ADD CONSTRAINT "AgentRegistrationToken_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentCredential" ADD CONSTRAINT "AgentCredential_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentCredential" ADD CONSTRAINT "AgentCredential_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

