-- CreateTable
CREATE TABLE "DeterminationReview" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "determinationId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "criterionKeys" JSONB NOT NULL,
    "reviewer" TEXT NOT NULL,
    "reviewerKeyId" TEXT,
    "reopenReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sequence" INTEGER NOT NULL,
    "previousHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "DeterminationReview_determinationId_fkey" FOREIGN KEY ("determinationId") REFERENCES "Determination" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- AlterTable (hand-written: Prisma redefines the table to add a required column, and dropping
-- "Determination" would drop its append-only triggers; SQLite adds a column with a constant
-- default in place)
ALTER TABLE "Determination" ADD COLUMN "expedited" BOOLEAN NOT NULL DEFAULT false;

-- DropIndex
DROP INDEX "Determination_versionId_idx";

-- CreateIndex
CREATE INDEX "Determination_versionId_createdAt_idx" ON "Determination"("versionId", "createdAt");
CREATE INDEX "Determination_createdAt_id_idx" ON "Determination"("createdAt", "id");
CREATE INDEX "Determination_outcome_createdAt_idx" ON "Determination"("outcome", "createdAt");
CREATE INDEX "Determination_lineOfBusiness_createdAt_idx" ON "Determination"("lineOfBusiness", "createdAt");
CREATE INDEX "Determination_callerKeyId_createdAt_idx" ON "Determination"("callerKeyId", "createdAt");
CREATE INDEX "Determination_dateOfService_idx" ON "Determination"("dateOfService");

-- CreateIndex
CREATE UNIQUE INDEX "DeterminationReview_sequence_key" ON "DeterminationReview"("sequence");

-- CreateIndex
CREATE INDEX "DeterminationReview_determinationId_sequence_idx" ON "DeterminationReview"("determinationId", "sequence");

-- CreateIndex
CREATE INDEX "DeterminationReview_createdAt_idx" ON "DeterminationReview"("createdAt");

-- Reviews are append-only, like the determinations they follow (hand-written).
CREATE TRIGGER "DeterminationReview_no_update" BEFORE UPDATE ON "DeterminationReview" BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on DeterminationReview refused'); END;
CREATE TRIGGER "DeterminationReview_no_delete" BEFORE DELETE ON "DeterminationReview" BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on DeterminationReview refused'); END;
