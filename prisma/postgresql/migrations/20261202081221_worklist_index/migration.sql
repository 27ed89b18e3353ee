-- CreateIndex
CREATE INDEX "Determination_guidelineNumber_outcome_createdAt_idx" ON "Determination"("guidelineNumber", "outcome", "createdAt");
