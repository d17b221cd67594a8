-- AlterTable
ALTER TABLE "Bundle" ADD COLUMN     "rolloutPromotion" JSONB,
ADD COLUMN     "rolloutStatus" JSONB;

