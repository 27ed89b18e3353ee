-- AlterTable
ALTER TABLE "DeterminationReview" ADD COLUMN     "reopensId" TEXT;

-- Hand-edited: each existing review is linked to the review it reopened (the same determination's
-- previous review in chain order). The append-only trigger is held off for this one statement.
ALTER TABLE "DeterminationReview" DISABLE TRIGGER "DeterminationReview_immutable";
UPDATE "DeterminationReview" AS "review" SET "reopensId" = (SELECT "earlier"."id" FROM "DeterminationReview" AS "earlier" WHERE "earlier"."determinationId" = "review"."determinationId" AND "earlier"."sequence" < "review"."sequence" ORDER BY "earlier"."sequence" DESC LIMIT 1);
ALTER TABLE "DeterminationReview" ENABLE TRIGGER "DeterminationReview_immutable";

-- CreateIndex
CREATE UNIQUE INDEX "DeterminationReview_reopensId_key" ON "DeterminationReview"("reopensId");

-- AddForeignKey
ALTER TABLE "DeterminationReview" ADD CONSTRAINT "DeterminationReview_reopensId_fkey" FOREIGN KEY ("reopensId") REFERENCES "DeterminationReview"("id") ON DELETE SET NULL ON UPDATE CASCADE;
