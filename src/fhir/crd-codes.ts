/** Canonical URLs and code systems of Da Vinci CRD 2.2.1, CDS Hooks and the code systems orders use. */
export const CRD_BASE = 'http://hl7.org/fhir/us/davinci-crd';
export const COVERAGE_INFORMATION_URL = `${CRD_BASE}/StructureDefinition/ext-coverage-information`;
/** CRD's temporary codes: coverage-assertion reasons (`technical`) and detail codes (`allowed-quantity`, `policy-link`). */
export const CRD_TEMP_CODES = `${CRD_BASE}/CodeSystem/temp`;
export const CARD_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/cdshooks-card-type';
/** HCPCS as the CRD examples write it. */
export const HCPCS_SYSTEM = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const COVERAGE_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/coverage-class';
/** Source of Payment Typology (PHDSC), as US Core's Coverage.type uses it. */
export const PAYMENT_TYPOLOGY_SYSTEM = 'urn:oid:2.16.840.1.113883.3.221.5';
export const QUESTIONNAIRE_ITEM_CONTROL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';
