-- CreateTable
CREATE TABLE "RuleSet" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reviewedBy" TEXT NOT NULL,
    "reviewedOn" TEXT NOT NULL,
    "attachedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Determination" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Determination_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RuleSet_versionId_key" ON "RuleSet"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "Determination_idempotencyKey_key" ON "Determination"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Determination_guidelineNumber_createdAt_idx" ON "Determination"("guidelineNumber", "createdAt");

-- CreateIndex
CREATE INDEX "Determination_versionId_idx" ON "Determination"("versionId");

-- AddForeignKey
ALTER TABLE "RuleSet" ADD CONSTRAINT "RuleSet_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Determination" ADD CONSTRAINT "Determination_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Append-only (hand-written): rule sets and determinations are never updated or deleted.
CREATE TRIGGER "RuleSet_immutable" BEFORE UPDATE OR DELETE ON "RuleSet" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "Determination_immutable" BEFORE UPDATE OR DELETE ON "Determination" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
