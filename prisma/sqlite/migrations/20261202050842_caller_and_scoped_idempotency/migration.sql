-- DropIndex
DROP INDEX "Determination_idempotencyKey_key";

-- AlterTable
ALTER TABLE "Determination" ADD COLUMN "callerKeyId" TEXT;
ALTER TABLE "Determination" ADD COLUMN "callerRole" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Determination_callerKeyId_idempotencyKey_key" ON "Determination"("callerKeyId", "idempotencyKey");
