-- Published guideline versions are immutable: the database itself refuses to change or delete them.
-- (Hand-written: Prisma's differ does not model triggers, so they never show up as drift.)
CREATE FUNCTION "reject_change_to_published_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published guideline versions are immutable: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "Guideline_immutable" BEFORE UPDATE OR DELETE ON "Guideline" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "SourceDocument_immutable" BEFORE UPDATE OR DELETE ON "SourceDocument" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "GuidelineVersion_immutable" BEFORE UPDATE OR DELETE ON "GuidelineVersion" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "Passage_immutable" BEFORE UPDATE OR DELETE ON "Passage" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "DiseaseSection_immutable" BEFORE UPDATE OR DELETE ON "DiseaseSection" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "Criterion_immutable" BEFORE UPDATE OR DELETE ON "Criterion" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "QuantitativeLimit_immutable" BEFORE UPDATE OR DELETE ON "QuantitativeLimit" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "BillingCode_immutable" BEFORE UPDATE OR DELETE ON "BillingCode" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "VersionLineOfBusiness_immutable" BEFORE UPDATE OR DELETE ON "VersionLineOfBusiness" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "PolicyHistoryEntry_immutable" BEFORE UPDATE OR DELETE ON "PolicyHistoryEntry" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
CREATE TRIGGER "Reference_immutable" BEFORE UPDATE OR DELETE ON "Reference" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
