-- Hand-written in place of Prisma's table redefinition: dropping the old table would fire the new
-- link's ON DELETE SET NULL (foreign keys cannot be switched off inside the migration's
-- transaction) and drop the append-only triggers. A column added in place keeps both.
ALTER TABLE "DeterminationReview" ADD COLUMN "reopensId" TEXT CONSTRAINT "DeterminationReview_reopensId_fkey" REFERENCES "DeterminationReview" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Each existing review is linked to the review it reopened (the same determination's previous
-- review in chain order). The append-only trigger is held off for this one statement.
DROP TRIGGER "DeterminationReview_no_update";
UPDATE "DeterminationReview" SET "reopensId" = (SELECT "earlier"."id" FROM "DeterminationReview" AS "earlier" WHERE "earlier"."determinationId" = "DeterminationReview"."determinationId" AND "earlier"."sequence" < "DeterminationReview"."sequence" ORDER BY "earlier"."sequence" DESC LIMIT 1);
CREATE TRIGGER "DeterminationReview_no_update" BEFORE UPDATE ON "DeterminationReview" BEGIN SELECT RAISE(ABORT, 'append-only: UPDATE on DeterminationReview refused'); END;

-- CreateIndex
CREATE UNIQUE INDEX "DeterminationReview_reopensId_key" ON "DeterminationReview"("reopensId");
