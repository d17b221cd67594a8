-- CreateEnum
CREATE TYPE "PullRequestPreviewState" AS ENUM ('Pending', 'Ready', 'Failed');

-- CreateTable
CREATE TABLE "PullRequestPreview" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "gitRepoId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "headSha" TEXT NOT NULL,
    "baseSha" TEXT NOT NULL,
    "isFork" BOOLEAN NOT NULL DEFAULT false,
    "isOpen" BOOLEAN NOT NULL DEFAULT true,
    "state" "PullRequestPreviewState" NOT NULL DEFAULT 'Pending',
    "conclusion" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "results" JSONB NOT NULL DEFAULT '[]',
    "checkRunId" TEXT,
    "checkRunSha" TEXT,
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PullRequestPreview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PullRequestPreview_workspaceId_isOpen_updatedAt_idx" ON "PullRequestPreview"("workspaceId", "isOpen", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequestPreview_gitRepoId_number_key" ON "PullRequestPreview"("gitRepoId", "number");

-- AddForeignKey
ALTER TABLE "PullRequestPreview" ADD CONSTRAINT "PullRequestPreview_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequestPreview" ADD CONSTRAINT "PullRequestPreview_gitRepoId_fkey" FOREIGN KEY ("gitRepoId") REFERENCES "GitRepo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

