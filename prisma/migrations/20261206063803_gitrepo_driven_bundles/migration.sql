-- DropIndex
DROP INDEX "Bundle_gitRepoId_path_key";

-- AlterTable
ALTER TABLE "Bundle" ADD COLUMN     "optionsFile" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "GitRepo" ADD COLUMN     "drivenBundles" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE UNIQUE INDEX "Bundle_gitRepoId_path_optionsFile_key" ON "Bundle"("gitRepoId", "path", "optionsFile");

