-- CreateEnum
CREATE TYPE "SyncWindowKind" AS ENUM ('allow', 'deny');

-- CreateTable
CREATE TABLE "SyncWindow" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SyncWindowKind" NOT NULL,
    "schedule" TEXT NOT NULL,
    "duration" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "targets" JSONB NOT NULL DEFAULT '[]',
    "manualSync" BOOLEAN NOT NULL DEFAULT false,
    "nextEdgeAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncWindow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncWindow_nextEdgeAt_idx" ON "SyncWindow"("nextEdgeAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncWindow_workspaceId_name_key" ON "SyncWindow"("workspaceId", "name");

-- AddForeignKey
ALTER TABLE "SyncWindow" ADD CONSTRAINT "SyncWindow_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

