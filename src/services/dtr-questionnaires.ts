import type { Bundle, MedicationRequest, Parameters, Questionnaire, QuestionnaireResponse } from '@medplum/fhirtypes';
import type { Determination, FactRequirementView } from '../domain/determination.ts';
import { badInput, DomainError } from '../domain/errors.ts';
import { readOrder } from '../fhir/hook-request.ts';
import { contextItems, DATE_OF_SERVICE, factItem, LINE_OF_BUSINESS, readAnswers, versionQuestionnaire } from '../fhir/questionnaire.ts';
import { resolveGuideline, versionsOn } from './guideline-lookup.ts';
import { decide } from '../rules/decide.ts';
import type { Database } from '../store/database.ts';
import { evaluateRequest, readRawRequest, renderDecision, requirementOf } from './evaluate-request.ts';
import type { VersionCatalog, VersionEntry } from './version-catalog.ts';

/** The canonical URL of a version's questionnaire on this server. */
export const questionnaireUrl = (baseUrl: string, versionId: string): string => `${baseUrl}/fhir/Questionnaire/${versionId}`;

/** The version a canonical URL of ours names (with or without `|version`); null for anyone else's. */
function versionIdOf(baseUrl: string, canonical: string | undefined): string | null {
  const prefix = `${baseUrl}/fhir/Questionnaire/`;
  const url = canonical?.split('|')[0] ?? '';
  return url.startsWith(prefix) && /^[0-9a-f-]{36}$/.test(url.slice(prefix.length)) ? url.slice(prefix.length) : null;
}

async function decidableVersion(catalog: VersionCatalog, versionId: string): Promise<VersionEntry & { compiledRuleSet: NonNullable<VersionEntry['compiledRuleSet']> }> {
  const version = await catalog.get(versionId);
  if (!version) throw new DomainError('NOT_FOUND', `no guideline version ${versionId}`, [{ field: 'questionnaire', message: 'unknown version' }]);
  if (!version.compiledRuleSet) throw new DomainError('NOT_DECIDABLE', `the version ${versionId} has no reviewed rule set, so nothing can be asked to decide it`, [{ field: 'questionnaire', message: 'not decidable' }]);
  return version as VersionEntry & { compiledRuleSet: NonNullable<VersionEntry['compiledRuleSet']> };
}

const sourceOf = (baseUrl: string, version: VersionEntry, facts: readonly FactRequirementView[]) => {
  const { header } = version.document;
  const month = `${header.implementationDate.year}-${String(header.implementationDate.month).padStart(2, '0')}`;
  return {
    url: questionnaireUrl(baseUrl, version.id), versionId: version.id, guidelineNumber: header.guidelineNumber,
    title: `${header.brandName} (${header.guidelineNumber}) prior authorization, ${month}`, implementationMonth: month,
    effectiveFrom: version.effectiveFrom.toISOString().slice(0, 10), linesOfBusiness: version.document.linesOfBusiness.map((line) => line.code), facts,
  };
};

/** A decidable version's questionnaire: every fact of its rule set, with the two context items. */
export async function questionnaireOf(catalog: VersionCatalog, baseUrl: string, versionId: string): Promise<Questionnaire> {
  const version = await decidableVersion(catalog, versionId);
  return versionQuestionnaire(sourceOf(baseUrl, version, version.compiledRuleSet.facts.map(requirementOf)));
}

/** Answers read and decided on the version the questionnaire belongs to, without storing anything. */
async function decideAnswers(database: Database, catalog: VersionCatalog, baseUrl: string, response: QuestionnaireResponse) {
  const versionId = versionIdOf(baseUrl, response.questionnaire);
  if (!versionId) throw badInput(`questionnaire must be one of this server's (${baseUrl}/fhir/Questionnaire/<version id>)`, [{ field: 'questionnaire', message: 'unknown questionnaire' }]);
  const version = await decidableVersion(catalog, versionId);
  const full = versionQuestionnaire(sourceOf(baseUrl, version, version.compiledRuleSet.facts.map(requirementOf)));
  const answers = readAnswers(full, response);
  if (answers.problems.length > 0) throw badInput(`the answers are not readable: ${answers.problems.map((problem) => `${problem.linkId} ${problem.message}`).join('; ')}`, answers.problems.map((problem) => ({ field: `item.${problem.linkId}`, message: problem.message })));
  if (answers.dateOfService !== null) {
    // A questionnaire belongs to one version: answers for a day another version governs are refused, never decided by the wrong rules.
    const { inEffect } = await versionsOn(database, catalog, version.guidelineId, answers.dateOfService);
    if (inEffect?.id !== version.id) {
      throw badInput(`on ${answers.dateOfService} ${inEffect ? `version ${inEffect.id} (${inEffect.implementationMonth}) of ${version.document.header.guidelineNumber} is in effect: use its questionnaire` : `no version of ${version.document.header.guidelineNumber} is in effect`}`, [{ field: `item.${DATE_OF_SERVICE}`, message: 'another version governs this day' }]);
    }
  }
  return { version, full, answers };
}

/**
 * SDC `$next-question` on a version's questionnaire: the answers so far are decided (nothing is
 * stored); the questions the decision still needs, in the rules' order, come next, one at a time.
 * When nothing more is needed the response is `completed`, and says how it would be decided.
 */
export async function nextQuestion(database: Database, catalog: VersionCatalog, baseUrl: string, response: QuestionnaireResponse): Promise<QuestionnaireResponse> {
  const { version, full, answers } = await decideAnswers(database, catalog, baseUrl, response);
  const ruleSet = version.compiledRuleSet;
  const asked = new Set((response.item ?? []).map((item) => item.linkId));
  let next: NonNullable<Questionnaire['item']>[number] | null = null;
  let outcome: string | null = null;
  const context = contextItems(sourceOf(baseUrl, version, []));
  if (answers.dateOfService === null) next = context[0] ?? null;
  else if (answers.lineOfBusiness === null) next = context[1] ?? null;
  else {
    const decision = decide(ruleSet, readRawRequest(ruleSet, { dateOfService: answers.dateOfService, lineOfBusiness: answers.lineOfBusiness, facts: [...answers.facts], evidence: [] }));
    const rendered = renderDecision(ruleSet, decision);
    const missing = rendered.missingFacts.find((fact) => !asked.has(fact.key));
    if (missing) next = factItem(missing);
    else outcome = decision.outcome;
  }
  const askedItems = (full.item ?? []).filter((item) => asked.has(item.linkId));
  return {
    ...response,
    resourceType: 'QuestionnaireResponse',
    status: next ? 'in-progress' : 'completed',
    contained: [{ ...full, id: 'adaptive', url: undefined, item: [...askedItems, ...(next ? [next] : [])] } as Questionnaire],
    item: [...(response.item ?? []), ...(next ? [{ linkId: next.linkId, text: next.text }] : [])],
    ...(outcome ? { extension: [...(response.extension ?? []).filter((item) => item.url !== OUTCOME_EXTENSION), { url: OUTCOME_EXTENSION, valueCode: outcome }] } : {}),
  };
}

/** Says, on a completed adaptive response, how its answers would be decided (informative: the decision is made when it is submitted). */
export const OUTCOME_EXTENSION = 'urn:evolut:fhir:questionnaire-outcome';

/**
 * A completed QuestionnaireResponse decided as `evaluateRequest` decides (the same rules core; the
 * determination stored in the same log, sealed alike), on the version the questionnaire belongs to.
 */
export async function decideQuestionnaireResponse(
  database: Database, catalog: VersionCatalog, baseUrl: string, response: QuestionnaireResponse,
  options: { readonly caller: { readonly keyId: string | null; readonly role: string }; readonly sealKey: Uint8Array | null },
): Promise<Determination> {
  if (response.status !== 'completed') throw badInput('only a completed QuestionnaireResponse is decided (status "completed")', [{ field: 'status', message: 'not completed' }]);
  const { version, answers } = await decideAnswers(database, catalog, baseUrl, response);
  if (answers.dateOfService === null || answers.lineOfBusiness === null) {
    throw badInput(`${DATE_OF_SERVICE} and ${LINE_OF_BUSINESS} must be answered`, [{ field: `item.${answers.dateOfService === null ? DATE_OF_SERVICE : LINE_OF_BUSINESS}`, message: 'not answered' }]);
  }
  return evaluateRequest(database, catalog, {
    guidelineNumber: version.document.header.guidelineNumber, versionId: null, dateOfService: answers.dateOfService, lineOfBusiness: answers.lineOfBusiness,
    facts: [...answers.facts], caller: options.caller,
  }, { sealKey: options.sealKey });
}

/** The `order` and `questionnaire` inputs of `$questionnaire-package` (DTR), read from its Parameters. */
interface PackageRequest {
  readonly orders: readonly MedicationRequest[];
  readonly questionnaires: readonly string[];
}

function readPackageRequest(parameters: Parameters): PackageRequest {
  if (parameters?.resourceType !== 'Parameters') throw badInput('$questionnaire-package takes a Parameters resource', [{ field: 'resourceType', message: 'not Parameters' }]);
  const items = parameters.parameter ?? [];
  const orders = items.filter((item) => item.name === 'order').map((item) => item.resource).filter((resource): resource is MedicationRequest => resource?.resourceType === 'MedicationRequest');
  const questionnaires = items.filter((item) => item.name === 'questionnaire' && typeof item.valueCanonical === 'string').map((item) => item.valueCanonical as string);
  if (!items.some((item) => item.name === 'coverage' && item.resource?.resourceType === 'Coverage')) throw badInput('$questionnaire-package needs the coverage (a Coverage resource)', [{ field: 'coverage', message: 'missing' }]);
  if (orders.length === 0 && questionnaires.length === 0) throw badInput('$questionnaire-package needs an order (MedicationRequest) or a questionnaire canonical', [{ field: 'order', message: 'missing' }]);
  return { orders, questionnaires };
}

/**
 * DTR `$questionnaire-package`: for each order (matched by its HCPCS code to the guideline version
 * in effect on its day) and each questionnaire named, a Bundle with the version's Questionnaire.
 * An order no decidable version covers is said in an OperationOutcome, never packaged by guess.
 */
export async function questionnairePackage(database: Database, catalog: VersionCatalog, baseUrl: string, parameters: Parameters, today: string): Promise<Parameters> {
  const request = readPackageRequest(parameters);
  const versionIds = new Set<string>();
  const issues: { severity: 'warning'; code: 'not-found'; diagnostics: string }[] = [];
  for (const canonical of request.questionnaires) {
    const versionId = versionIdOf(baseUrl, canonical);
    if (versionId) versionIds.add(versionId);
    else issues.push({ severity: 'warning', code: 'not-found', diagnostics: `${canonical} is not a questionnaire of this server` });
  }
  for (const resource of request.orders) {
    const order = readOrder(resource);
    const code = order.hcpcsCodes[0];
    if (!code || order.hcpcsCodes.length > 1) {
      issues.push({ severity: 'warning', code: 'not-found', diagnostics: `MedicationRequest/${resource.id ?? ''}: ${code ? 'several HCPCS codes' : 'no HCPCS code'}; no questionnaire chosen` });
      continue;
    }
    try {
      const guideline = await resolveGuideline(database.client, database.provider, { hcpcsCode: code });
      const { inEffect } = await versionsOn(database, catalog, guideline.id, order.dateOfService ?? today);
      if (inEffect) versionIds.add(inEffect.id);
      else issues.push({ severity: 'warning', code: 'not-found', diagnostics: `MedicationRequest/${resource.id ?? ''}: no version of ${guideline.number} is in effect on ${order.dateOfService ?? today}` });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issues.push({ severity: 'warning', code: 'not-found', diagnostics: `MedicationRequest/${resource.id ?? ''}: ${error.message}` });
    }
  }
  const bundles: Bundle[] = [];
  for (const versionId of versionIds) {
    try {
      bundles.push({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: questionnaireUrl(baseUrl, versionId), resource: await questionnaireOf(catalog, baseUrl, versionId) }] });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issues.push({ severity: 'warning', code: 'not-found', diagnostics: error.message });
    }
  }
  return {
    resourceType: 'Parameters',
    parameter: [
      ...bundles.map((bundle) => ({ name: 'PackageBundle', resource: bundle })),
      ...(issues.length > 0 ? [{ name: 'outcome', resource: { resourceType: 'OperationOutcome' as const, issue: issues } }] : []),
    ],
  };
}
