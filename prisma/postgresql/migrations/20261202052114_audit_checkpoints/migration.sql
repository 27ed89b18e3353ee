-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signedAt" TEXT NOT NULL,
    "mac" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditCheckpoint_sequence_idx" ON "AuditCheckpoint"("sequence");

-- Checkpoints are append-only, like the chain they anchor (hand-written).
CREATE TRIGGER "AuditCheckpoint_immutable" BEFORE UPDATE OR DELETE ON "AuditCheckpoint" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
