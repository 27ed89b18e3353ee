-- CreateTable
CREATE TABLE "RuleSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reviewedBy" TEXT NOT NULL,
    "reviewedOn" TEXT NOT NULL,
    "attachedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RuleSet_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Determination" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "idempotencyKey" TEXT,
    "requestSha256" TEXT NOT NULL,
    "guidelineNumber" TEXT NOT NULL,
    "versionId" TEXT,
    "ruleSetSha256" TEXT,
    "dateOfService" TEXT NOT NULL,
    "lineOfBusiness" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "whatIf" BOOLEAN NOT NULL,
    "factsUsed" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "result" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Determination_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "RuleSet_versionId_key" ON "RuleSet"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "Determination_idempotencyKey_key" ON "Determination"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Determination_guidelineNumber_createdAt_idx" ON "Determination"("guidelineNumber", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_versionId_idx" ON "Determination"("versionId");

-- Append-only (hand-written): rule sets and determinations are never updated or deleted.
CREATE TRIGGER "RuleSet_no_update" BEFORE UPDATE ON "RuleSet" BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on RuleSet refused'); END;
CREATE TRIGGER "RuleSet_no_delete" BEFORE DELETE ON "RuleSet" BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on RuleSet refused'); END;
CREATE TRIGGER "Determination_no_update" BEFORE UPDATE ON "Determination" BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on Determination refused'); END;
CREATE TRIGGER "Determination_no_delete" BEFORE DELETE ON "Determination" BEGIN SELECT RAISE(ABORT, 'append-only: DELETE on Determination refused'); END;
