-- AlterTable
ALTER TABLE "BundleRender" ADD COLUMN     "helm" JSONB;

