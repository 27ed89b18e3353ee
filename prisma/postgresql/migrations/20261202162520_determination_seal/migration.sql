-- AlterTable
ALTER TABLE "Determination" ADD COLUMN     "seal" TEXT;
