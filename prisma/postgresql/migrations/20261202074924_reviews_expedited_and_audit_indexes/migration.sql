-- DropIndex
DROP INDEX "Determination_versionId_idx";

-- AlterTable
ALTER TABLE "Determination" ADD COLUMN     "expedited" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "DeterminationReview" (
    "id" TEXT NOT NULL,
    "determinationId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "criterionKeys" JSONB NOT NULL,
    "reviewer" TEXT NOT NULL,
    "reviewerKeyId" TEXT,
    "reopenReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sequence" INTEGER NOT NULL,
    "previousHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "DeterminationReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeterminationReview_sequence_key" ON "DeterminationReview"("sequence");

-- CreateIndex
CREATE INDEX "DeterminationReview_determinationId_sequence_idx" ON "DeterminationReview"("determinationId", "sequence");

-- CreateIndex
CREATE INDEX "DeterminationReview_createdAt_idx" ON "DeterminationReview"("createdAt");

-- CreateIndex
CREATE INDEX "Determination_versionId_createdAt_idx" ON "Determination"("versionId", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_createdAt_id_idx" ON "Determination"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Determination_outcome_createdAt_idx" ON "Determination"("outcome", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_lineOfBusiness_createdAt_idx" ON "Determination"("lineOfBusiness", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_callerKeyId_createdAt_idx" ON "Determination"("callerKeyId", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_dateOfService_idx" ON "Determination"("dateOfService");

-- AddForeignKey
ALTER TABLE "DeterminationReview" ADD CONSTRAINT "DeterminationReview_determinationId_fkey" FOREIGN KEY ("determinationId") REFERENCES "Determination"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reviews are append-only, like the determinations they follow (hand-written).
CREATE TRIGGER "DeterminationReview_immutable" BEFORE UPDATE OR DELETE ON "DeterminationReview" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
