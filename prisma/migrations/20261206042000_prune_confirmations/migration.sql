-- AlterTable
ALTER TABLE "BundleDeployment" ADD COLUMN     "pruneConfirmedHash" TEXT;

-- AlterTable
ALTER TABLE "GitRepo" ADD COLUMN     "removalConfirmedCommit" TEXT;

