-- AlterTable
ALTER TABLE "Determination" ADD COLUMN "hash" TEXT;
ALTER TABLE "Determination" ADD COLUMN "previousHash" TEXT;
ALTER TABLE "Determination" ADD COLUMN "sequence" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "Determination_sequence_key" ON "Determination"("sequence");
