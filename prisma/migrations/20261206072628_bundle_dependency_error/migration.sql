-- AlterTable
ALTER TABLE "Bundle" ADD COLUMN     "dependencyError" TEXT NOT NULL DEFAULT '';

