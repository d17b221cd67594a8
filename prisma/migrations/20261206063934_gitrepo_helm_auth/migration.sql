-- AlterTable
ALTER TABLE "GitRepo" ADD COLUMN     "helmAuth" BYTEA;

