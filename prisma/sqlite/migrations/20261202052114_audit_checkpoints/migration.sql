-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sequence" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signedAt" TEXT NOT NULL,
    "mac" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "AuditCheckpoint_sequence_idx" ON "AuditCheckpoint"("sequence");

-- Checkpoints are append-only, like the chain they anchor (hand-written).
CREATE TRIGGER "AuditCheckpoint_no_update" BEFORE UPDATE ON "AuditCheckpoint" BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable: UPDATE on AuditCheckpoint refused'); END;
CREATE TRIGGER "AuditCheckpoint_no_delete" BEFORE DELETE ON "AuditCheckpoint" BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable: DELETE on AuditCheckpoint refused'); END;
