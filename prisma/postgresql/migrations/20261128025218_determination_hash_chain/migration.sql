-- AlterTable
ALTER TABLE "Determination" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "previousHash" TEXT,
ADD COLUMN     "sequence" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "Determination_sequence_key" ON "Determination"("sequence");
