-- Published guideline versions are immutable: the database itself refuses to change or delete them.
-- (Hand-written: Prisma's differ does not model triggers, so they never show up as drift.)
CREATE TRIGGER "Guideline_no_update" BEFORE UPDATE ON "Guideline" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Guideline refused'); END;
CREATE TRIGGER "Guideline_no_delete" BEFORE DELETE ON "Guideline" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on Guideline refused'); END;
CREATE TRIGGER "SourceDocument_no_update" BEFORE UPDATE ON "SourceDocument" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on SourceDocument refused'); END;
CREATE TRIGGER "SourceDocument_no_delete" BEFORE DELETE ON "SourceDocument" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on SourceDocument refused'); END;
CREATE TRIGGER "GuidelineVersion_no_update" BEFORE UPDATE ON "GuidelineVersion" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on GuidelineVersion refused'); END;
CREATE TRIGGER "GuidelineVersion_no_delete" BEFORE DELETE ON "GuidelineVersion" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on GuidelineVersion refused'); END;
CREATE TRIGGER "Passage_no_update" BEFORE UPDATE ON "Passage" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Passage refused'); END;
CREATE TRIGGER "Passage_no_delete" BEFORE DELETE ON "Passage" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on Passage refused'); END;
CREATE TRIGGER "DiseaseSection_no_update" BEFORE UPDATE ON "DiseaseSection" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on DiseaseSection refused'); END;
CREATE TRIGGER "DiseaseSection_no_delete" BEFORE DELETE ON "DiseaseSection" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on DiseaseSection refused'); END;
CREATE TRIGGER "Criterion_no_update" BEFORE UPDATE ON "Criterion" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Criterion refused'); END;
CREATE TRIGGER "Criterion_no_delete" BEFORE DELETE ON "Criterion" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on Criterion refused'); END;
CREATE TRIGGER "QuantitativeLimit_no_update" BEFORE UPDATE ON "QuantitativeLimit" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on QuantitativeLimit refused'); END;
CREATE TRIGGER "QuantitativeLimit_no_delete" BEFORE DELETE ON "QuantitativeLimit" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on QuantitativeLimit refused'); END;
CREATE TRIGGER "BillingCode_no_update" BEFORE UPDATE ON "BillingCode" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on BillingCode refused'); END;
CREATE TRIGGER "BillingCode_no_delete" BEFORE DELETE ON "BillingCode" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on BillingCode refused'); END;
CREATE TRIGGER "VersionLineOfBusiness_no_update" BEFORE UPDATE ON "VersionLineOfBusiness" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on VersionLineOfBusiness refused'); END;
CREATE TRIGGER "VersionLineOfBusiness_no_delete" BEFORE DELETE ON "VersionLineOfBusiness" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on VersionLineOfBusiness refused'); END;
CREATE TRIGGER "PolicyHistoryEntry_no_update" BEFORE UPDATE ON "PolicyHistoryEntry" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on PolicyHistoryEntry refused'); END;
CREATE TRIGGER "PolicyHistoryEntry_no_delete" BEFORE DELETE ON "PolicyHistoryEntry" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on PolicyHistoryEntry refused'); END;
CREATE TRIGGER "Reference_no_update" BEFORE UPDATE ON "Reference" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Reference refused'); END;
CREATE TRIGGER "Reference_no_delete" BEFORE DELETE ON "Reference" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on Reference refused'); END;
