-- CreateEnum
CREATE TYPE "GithubAuthKind" AS ENUM ('token', 'app');

-- CreateEnum
CREATE TYPE "GithubStatusState" AS ENUM ('pending', 'success', 'failure', 'error');

-- CreateTable
CREATE TABLE "GithubConnection" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "gitRepoId" TEXT NOT NULL,
    "authKind" "GithubAuthKind" NOT NULL,
    "baseUrl" TEXT NOT NULL DEFAULT 'https://api.github.com',
    "owner" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "appId" TEXT,
    "installationId" TEXT,
    "credential" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GithubConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GithubCommitStatus" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "gitRepoId" TEXT NOT NULL,
    "commit" TEXT NOT NULL,
    "state" "GithubStatusState" NOT NULL,
    "description" TEXT NOT NULL,
    "targetUrl" TEXT,
    "postedState" "GithubStatusState",
    "postedDescription" TEXT,
    "postedAt" TIMESTAMP(3),
    "lastError" TEXT NOT NULL DEFAULT '',
    "lastAttemptAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GithubCommitStatus_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GithubConnection_gitRepoId_key" ON "GithubConnection"("gitRepoId");

-- CreateIndex
CREATE INDEX "GithubCommitStatus_gitRepoId_updatedAt_idx" ON "GithubCommitStatus"("gitRepoId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "GithubCommitStatus_gitRepoId_commit_key" ON "GithubCommitStatus"("gitRepoId", "commit");

-- AddForeignKey
ALTER TABLE "GithubConnection" ADD CONSTRAINT "GithubConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GithubConnection" ADD CONSTRAINT "GithubConnection_gitRepoId_fkey" FOREIGN KEY ("gitRepoId") REFERENCES "GitRepo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GithubCommitStatus" ADD CONSTRAINT "GithubCommitStatus_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GithubCommitStatus" ADD CONSTRAINT "GithubCommitStatus_gitRepoId_fkey" FOREIGN KEY ("gitRepoId") REFERENCES "GitRepo"("id") ON DELETE CASCADE ON UPDATE CASCADE;

