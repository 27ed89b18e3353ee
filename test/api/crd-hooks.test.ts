import type { Extension, MedicationRequest, Questionnaire, QuestionnaireResponse, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Determination } from '../../src/domain/determination.ts';
import { coverageInformation } from '../../src/fhir/coverage-information.ts';
import { COVERAGE_CLASS_SYSTEM, COVERAGE_INFORMATION_URL, HCPCS_SYSTEM, PAYMENT_TYPOLOGY_SYSTEM, RXNORM_SYSTEM, UCUM_SYSTEM } from '../../src/fhir/crd-codes.ts';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { evaluateRequest } from '../../src/services/evaluate-request.ts';
import { ingestDocuments } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { baseR4Problems, checkInvariants, crdInvariants, startTerminologyServer } from '../support/crd-validation.ts';
import { testProvider } from '../support/test-database.ts';

const RELAPSED_ADULT: Record<string, unknown> = {
  birthDate: '1980-05-17', diagnosis: 'B_CELL_ALL', cd19Status: 'POSITIVE', treatmentSetting: 'RELAPSED_REFRACTORY', knownHypersensitivity: false,
  diseaseProgressionOnBlinatumomab: false, requestedDosePerDayMcg: 28, requestedCyclePhase: 'INDUCTION', requestedCycles: 2, priorInductionConsolidationCycles: 0,
  isContinuationRequest: false, singleAgent: true,
};
const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1980-05-17' };
const coverage = (plan: string | null, typology?: string) => ({
  resourceType: 'Coverage', id: 'cov1', status: 'active', beneficiary: { reference: 'Patient/p1' }, payor: [{ display: 'Evolut Health Plan' }],
  ...(plan ? { class: [{ type: { coding: [{ system: COVERAGE_CLASS_SYSTEM, code: 'plan' }] }, value: plan }] } : {}),
  ...(typology ? { type: { coding: [{ system: PAYMENT_TYPOLOGY_SYSTEM, code: typology }] } } : {}),
});
const order = (id: string, codings: { system: string; code: string }[], start = '2026-03-02', dose = 28): MedicationRequest => ({
  resourceType: 'MedicationRequest', id, status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, authoredOn: start,
  medicationCodeableConcept: { coding: codings },
  dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', boundsPeriod: { start } } }, doseAndRate: [{ doseQuantity: { value: dose, unit: 'ug', system: UCUM_SYSTEM, code: 'ug' } }] }],
});
const J9039 = { system: HCPCS_SYSTEM, code: 'J9039' };
const hookRequest = (hook: string, orders: MedicationRequest[], prefetch: Record<string, unknown> = { patient, coverage: coverage('COMMERCIAL') }, selections?: string[]) => ({
  hook, hookInstance: '9b1a6c33-0000-4000-8000-000000000001', context: { userId: 'Practitioner/1', patientId: 'p1', ...(selections ? { selections } : {}), draftOrders: { resourceType: 'Bundle', type: 'collection', entry: orders.map((resource) => ({ resource })) } }, prefetch,
});

interface HookResponse { cards: { summary: string; indicator: string; links: { url: string }[]; detail: string }[]; systemActions: { type: string; resource: MedicationRequest }[] }

let api: TestServer;
let terminology: Awaited<ReturnType<typeof startTerminologyServer>>;
/** Every coverage-information extension and FHIR resource the tests below produce, checked at the end. */
const produced: { extensions: { label: string; extension: Extension }[]; resources: { label: string; resource: Resource }[] } = { extensions: [], resources: [] };

const post = async (path: string, body: unknown, role: 'evaluator' | 'reader' | null = 'evaluator') => {
  const response = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${api.keys[role]}` } : {}) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as never };
};
const hook = async (service: string, body: unknown): Promise<HookResponse> => {
  const answer = await post(`/cds-services/${service}`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const response = answer.body as HookResponse;
  for (const action of response.systemActions) {
    produced.resources.push({ label: `${service} ${action.resource.id}`, resource: action.resource });
    for (const extension of action.resource.extension ?? []) if (extension.url === COVERAGE_INFORMATION_URL) produced.extensions.push({ label: `${service} ${action.resource.id}`, extension });
  }
  return response;
};
const part = (extension: Extension | undefined, url: string) => extension?.extension?.filter((item) => item.url === url) ?? [];
const coverageInfoOf = (resource: MedicationRequest) => resource.extension?.find((extension) => extension.url === COVERAGE_INFORMATION_URL);

beforeAll(async () => {
  api = await startTestServer();
  terminology = await startTerminologyServer();
});
afterAll(async () => {
  await terminology?.stop();
  await api?.stop();
});

describe(`CDS Hooks coverage requirements (Da Vinci CRD 2.2.1) over a real server (${testProvider})`, () => {
  it('discovery lists order-sign and order-select with the prefetch they need', async () => {
    const response = await fetch(`${api.url}/cds-services`);
    expect(response.status).toBe(200);
    const { services } = (await response.json()) as { services: { hook: string; id: string; prefetch: Record<string, string> }[] };
    expect(services.map((service) => [service.hook, service.id])).toEqual([['order-sign', 'coverage-order-sign'], ['order-select', 'coverage-order-select']]);
    expect(services[0]?.prefetch).toEqual({ patient: 'Patient/{{context.patientId}}', coverage: 'Coverage?patient={{context.patientId}}&status=active' });
  });

  it('an order the guideline cannot decide yet: conditional, the missing facts named, the questionnaire that asks them, and a stored determination', async () => {
    const response = await hook('coverage-order-sign', hookRequest('order-sign', [order('mr1', [J9039])]));
    expect(response.systemActions).toHaveLength(1);
    const extension = coverageInfoOf(response.systemActions[0]?.resource as MedicationRequest);
    const codes = Object.fromEntries(['covered', 'pa-needed', 'doc-needed', 'doc-purpose', 'info-needed'].map((url) => [url, part(extension, url)[0]?.valueCode]));
    expect(codes).toEqual({ covered: 'conditional', 'pa-needed': 'conditional', 'doc-needed': 'clinical', 'doc-purpose': undefined, 'info-needed': 'OTH' });
    expect(part(extension, 'coverage')[0]?.valueReference).toEqual({ reference: 'Coverage/cov1' });
    expect(part(extension, 'billingCode')[0]?.valueCoding).toEqual({ system: HCPCS_SYSTEM, code: 'J9039' });
    const questionnaire = part(extension, 'questionnaire')[0]?.valueCanonical as string;
    expect(questionnaire).toMatch(new RegExp(`^${api.url}/fhir/Questionnaire/[0-9a-f-]{36}$`));
    // The assertion id is the stored determination, decided with the facts the order and the patient state.
    const id = part(extension, 'coverage-assertion-id')[0]?.valueString as string;
    const stored = await api.db.database.client.determination.findUniqueOrThrow({ where: { id } });
    expect(stored.outcome).toBe('INCOMPLETE');
    expect(stored.factsUsed).toEqual(expect.arrayContaining([{ key: 'birthDate', value: '1980-05-17' }, { key: 'requestedDosePerDayMcg', value: 28 }]));
    const card = response.cards[0];
    expect(card?.summary.length).toBeLessThanOrEqual(140);
    expect(card?.summary).toMatch(/^Blincyto: \d+ answers needed to decide coverage under Evolut_CG_3258$/);
    expect(card?.indicator).toBe('warning');
    // The card links to the section that decided: the version's source, the criterion's lines marked.
    const link = card?.links[0]?.url as string;
    expect(link).toMatch(/\/guidelines\/[0-9a-f-]{36}\/source\?lines=\d+-\d+&criterion=/);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    const [, from] = /lines=(\d+)-/.exec(link) ?? [];
    expect(html).toContain(`<tr id="L${from}" class="decided">`);
    // A link cannot make the page name any text as the deciding criterion: only one of the version's criteria is named.
    const forged = await (await fetch(link.replace(/criterion=[^#&]+/, 'criterion=Covered%20for%20everyone'))).text();
    expect(forged).not.toContain('Covered for everyone');
  });

  it('a plan by payment typology; order-select answers only the selected order; RxNorm alone, an unknown code or an unmapped plan are indeterminate with the reason', async () => {
    const selected = await hook('coverage-order-select', hookRequest('order-select', [order('mr2', [J9039]), order('mr3', [J9039])], { patient, coverage: coverage(null, '2') }, ['MedicationRequest/mr3']));
    expect(selected.systemActions.map((action) => action.resource.id)).toEqual(['mr3']);
    const stored = await api.db.database.client.determination.findUniqueOrThrow({ where: { id: part(coverageInfoOf(selected.systemActions[0]?.resource as MedicationRequest), 'coverage-assertion-id')[0]?.valueString as string } });
    expect(stored.lineOfBusiness).toBe('MEDICAID');
    // Selecting is not requesting: a what-if on the version in effect, never counted as a prior-authorization request.
    expect(stored.whatIf).toBe(true);
    const before = await api.db.database.client.determination.count();
    const cases: [string, unknown, RegExp][] = [
      ['RxNorm only', hookRequest('order-sign', [order('mr4', [{ system: RXNORM_SYSTEM, code: '1657007' }])]), /coded only in RxNorm \(1657007\); no RxNorm to HCPCS mapping is declared/],
      ['an unknown HCPCS code', hookRequest('order-sign', [order('mr5', [{ system: HCPCS_SYSTEM, code: 'J0000' }])]), /no guideline for hcpcsCode J0000/],
      ['an unmapped plan', hookRequest('order-sign', [order('mr6', [J9039])], { patient, coverage: coverage('GOLD_PLAN') }), /the Coverage states no line of business Evolut_CG_3258 lists/],
      ['a day before any version', hookRequest('order-sign', [order('mr6b', [J9039], '2020-01-01')]), /no version of Evolut_CG_3258 is in effect on 2020-01-01/],
    ];
    for (const [name, body, reason] of cases) {
      const response = await hook('coverage-order-sign', body);
      const extension = coverageInfoOf(response.systemActions[0]?.resource as MedicationRequest);
      expect(part(extension, 'covered')[0]?.valueCode, name).toBe('indeterminate');
      expect(part(extension, 'reason')[0]?.valueCodeableConcept?.text, name).toMatch(reason);
      expect(response.cards[0]?.summary.length, name).toBeLessThanOrEqual(140);
    }
    // Nothing is decided when nothing could be: no determination stored for these.
    expect(await api.db.database.client.determination.count()).toBe(before);
  });

  it('a retried order-sign call gets the same determination, not a second request', async () => {
    const body = hookRequest('order-sign', [order('mr-retry', [J9039])]);
    const first = await hook('coverage-order-sign', body);
    const count = await api.db.database.client.determination.count();
    const again = await hook('coverage-order-sign', body);
    const id = (response: HookResponse) => part(coverageInfoOf(response.systemActions[0]?.resource as MedicationRequest), 'coverage-assertion-id')[0]?.valueString;
    expect(id(again)).toBe(id(first));
    expect(await api.db.database.client.determination.count()).toBe(count);
    // Another hook call (a new hookInstance) is another request.
    await hook('coverage-order-sign', { ...body, hookInstance: '9b1a6c33-0000-4000-8000-000000000002' });
    expect(await api.db.database.client.determination.count()).toBe(count + 1);
  });

  it('refuses what it cannot read: missing prefetch is 412, a malformed request 400, no key 401, a reader 403', async () => {
    const before = await api.db.database.client.determination.count();
    // Only the hook's patient and an active coverage decide anything.
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr13', [J9039])], { patient: { ...patient, id: 'p2' }, coverage: coverage('COMMERCIAL') }))).status).toBe(400);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [{ ...order('mr14', [J9039]), subject: { reference: 'Patient/p2' } }]))).status).toBe(400);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr15', [J9039])], { patient, coverage: { ...coverage('COMMERCIAL'), beneficiary: { reference: 'Patient/p2' } } }))).status).toBe(400);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr16', [J9039])], { patient, coverage: { ...coverage('COMMERCIAL'), status: 'cancelled' } }))).status).toBe(412);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', Array.from({ length: 51 }, (_, i) => order(`many-${i}`, [J9039]))))).status).toBe(400);
    expect(await api.db.database.client.determination.count()).toBe(before);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr7', [J9039])], { patient }))).status).toBe(412);
    expect((await post('/cds-services/coverage-order-sign', { ...hookRequest('order-sign', []), hook: 'order-select' })).status).toBe(400);
    expect((await post('/cds-services/coverage-order-sign', { hook: 'order-sign', hookInstance: 'x', context: { patientId: 'p1', draftOrders: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'MedicationRequest' } }] } }, prefetch: { patient, coverage: coverage('COMMERCIAL') } })).status).toBe(400);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr8', [J9039])]), null)).status).toBe(401);
    expect((await post('/cds-services/coverage-order-sign', hookRequest('order-sign', [order('mr8', [J9039])]), 'reader')).status).toBe(403);
    expect((await post('/cds-services/no-such-service', {})).status).toBe(404);
  });

  it('a failure of the service answers indeterminate with reason technical, never a guess', async () => {
    const catalog = api.server.catalog;
    const original = catalog.get.bind(catalog);
    catalog.get = async () => {
      throw new Error('simulated database outage');
    };
    try {
      const response = await hook('coverage-order-sign', hookRequest('order-sign', [order('mr9', [J9039])]));
      const extension = coverageInfoOf(response.systemActions[0]?.resource as MedicationRequest);
      expect(part(extension, 'covered')[0]?.valueCode).toBe('indeterminate');
      expect(part(extension, 'reason')[0]?.valueCodeableConcept?.coding).toEqual([{ system: 'http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp', code: 'technical', display: 'Technical issues' }]);
    } finally {
      catalog.get = original;
    }
  });
});

describe(`DTR questionnaires from the fact schema (${testProvider})`, () => {
  let versionId: string;
  let questionnaireUrl: string;
  beforeAll(async () => {
    const { body } = await api.graphql<{ guideline: { currentVersion: { id: string } } }>('{ guideline(number: "Evolut_CG_3258") { versions { id implementationDate } } }');
    const versions = (body.data as unknown as { guideline: { versions: { id: string; implementationDate: string }[] } }).guideline.versions;
    versionId = Buffer.from(versions.at(-1)?.id as string, 'base64url').toString().split(':')[1] as string;
    questionnaireUrl = `${api.url}/fhir/Questionnaire/${versionId}`;
  });

  it('one item per fact, typed from the fact type, with answer options, UCUM units and bounds', async () => {
    const response = await fetch(questionnaireUrl, { headers: { authorization: `Bearer ${api.keys.reader}` } });
    expect(response.status).toBe(200);
    const questionnaire = (await response.json()) as Questionnaire;
    produced.resources.push({ label: 'Questionnaire', resource: questionnaire });
    const items = new Map((questionnaire.item ?? []).map((item) => [item.linkId, item]));
    expect(items.get('dateOfService')?.type).toBe('date');
    expect(items.get('lineOfBusiness')?.answerOption?.map((option) => option.valueCoding?.code)).toEqual(['CHIP', 'COMMERCIAL', 'EXCHANGE_MARKETPLACE', 'MEDICAID', 'MEDICARE_ADVANTAGE']);
    expect(items.get('birthDate')?.type).toBe('date');
    expect(items.get('diagnosis')).toMatchObject({ type: 'choice', answerOption: [{ valueCoding: { code: 'B_CELL_ALL' } }, { valueCoding: { code: 'T_CELL_ALL' } }, { valueCoding: { code: 'OTHER' } }] });
    expect(items.get('singleAgent')?.type).toBe('boolean');
    expect(items.get('requestedCycles')?.type).toBe('integer');
    expect(items.get('requestedDosePerDayMcg')).toMatchObject({ type: 'decimal', extension: expect.arrayContaining([{ url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit', valueCoding: { system: UCUM_SYSTEM, code: 'ug/d', display: 'ug/d' } }, { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueDecimal: 1000 }]) });
  });

  it('$questionnaire-package returns the questionnaire of the version in effect for each order, and says what it cannot package', async () => {
    const packaged = await post('/fhir/Questionnaire/$questionnaire-package', {
      resourceType: 'Parameters', parameter: [{ name: 'coverage', resource: coverage('COMMERCIAL') }, { name: 'order', resource: order('mr10', [J9039]) }, { name: 'order', resource: order('mr11', [{ system: RXNORM_SYSTEM, code: '1657007' }]) }],
    }, 'reader');
    expect(packaged.status, JSON.stringify(packaged.body)).toBe(200);
    const parameters = (packaged.body as { resourceType: string; parameter: { name: string; resource: Resource & { entry?: { resource: Questionnaire }[]; issue?: { diagnostics: string }[] } }[] });
    produced.resources.push({ label: '$questionnaire-package', resource: parameters as unknown as Resource });
    const bundles = parameters.parameter.filter((item) => item.name === 'PackageBundle');
    expect(bundles.map((item) => item.resource.entry?.[0]?.resource.url)).toEqual([questionnaireUrl]);
    expect(parameters.parameter.find((item) => item.name === 'outcome')?.resource.issue?.[0]?.diagnostics).toBe('MedicationRequest/mr11: no HCPCS code; no questionnaire chosen');
    expect((await post('/fhir/Questionnaire/$questionnaire-package', { resourceType: 'Parameters', parameter: [{ name: 'order', resource: order('mr12', [J9039]) }] }, 'reader')).status).toBe(400);
  });

  it('$next-question asks only what the rules still need, one at a time; the completed response decides and stores as evaluateRequest does', async () => {
    const answer = (linkId: string): NonNullable<QuestionnaireResponse['item']>[number]['answer'] => {
      if (linkId === 'dateOfService') return [{ valueDate: '2026-03-02' }];
      if (linkId === 'lineOfBusiness') return [{ valueCoding: { code: 'COMMERCIAL' } }];
      const value = RELAPSED_ADULT[linkId];
      if (typeof value === 'boolean') return [{ valueBoolean: value }];
      if (typeof value === 'number') return [Number.isInteger(value) && linkId !== 'requestedDosePerDayMcg' ? { valueInteger: value } : { valueDecimal: value }];
      if (linkId === 'birthDate') return [{ valueDate: value as string }];
      return [{ valueCoding: { code: value as string } }];
    };
    let response: QuestionnaireResponse = { resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire: questionnaireUrl, item: [] };
    const asked: string[] = [];
    for (let round = 0; round < 30; round += 1) {
      const next = await post('/fhir/Questionnaire/$next-question', response);
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      response = next.body as QuestionnaireResponse;
      produced.resources.push({ label: `$next-question ${round}`, resource: response });
      if (response.status === 'completed') break;
      const last = response.item?.at(-1) as NonNullable<QuestionnaireResponse['item']>[number];
      asked.push(last.linkId);
      last.answer = answer(last.linkId);
    }
    expect(response.status).toBe('completed');
    // Every question asked was a fact the decision needed, none twice; the rules did not need every fact.
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.slice(0, 2)).toEqual(['dateOfService', 'lineOfBusiness']);
    const full = (await (await fetch(questionnaireUrl, { headers: { authorization: `Bearer ${api.keys.reader}` } })).json()) as Questionnaire;
    const factCount = (full.item?.length ?? 0) - 2;
    console.log(`$next-question: ${asked.length} questions asked (2 context, ${asked.length - 2} facts of ${factCount}) before the decision was complete`);
    expect(response.extension).toEqual([{ url: 'urn:evolut:fhir:questionnaire-outcome', valueCode: 'APPROVED' }]);
    const submitted = await post('/fhir/QuestionnaireResponse', { ...response, contained: undefined });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const parameters = (submitted.body as { parameter: { name: string; valueString?: string; valueCode?: string }[] }).parameter;
    const id = parameters.find((parameter) => parameter.name === 'determination')?.valueString as string;
    expect(parameters.find((parameter) => parameter.name === 'outcome')?.valueCode).toBe('APPROVED');
    // The same decision evaluateRequest makes from the same facts.
    const facts = asked.slice(2).map((key) => ({ key, value: RELAPSED_ADULT[key] }));
    const direct = await api.graphqlAs<{ evaluateRequest: { outcome: string; reasons: unknown[] } }>('evaluator', 'mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { outcome reasons { criterionKey result } } }', { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts } });
    const viaQuestionnaire = await api.graphqlAs<{ determination: { outcome: string; reasons: unknown[] } }>('evaluator', 'query($id: ID!) { determination(id: $id) { outcome reasons { criterionKey result } } }', { id: Buffer.from(`Determination:${id}`).toString('base64url') });
    expect(viaQuestionnaire.body.data?.determination).toEqual(direct.body.data?.evaluateRequest);
  });

  it('refuses answers it cannot read, and a day another version governs', async () => {
    const base = { resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: questionnaireUrl };
    const refusals = {
      wrongType: await post('/fhir/QuestionnaireResponse', { ...base, item: [{ linkId: 'dateOfService', answer: [{ valueDate: '2026-03-02' }] }, { linkId: 'lineOfBusiness', answer: [{ valueCoding: { code: 'COMMERCIAL' } }] }, { linkId: 'singleAgent', answer: [{ valueString: 'yes' }] }] }),
      notAnOption: await post('/fhir/QuestionnaireResponse', { ...base, item: [{ linkId: 'diagnosis', answer: [{ valueCoding: { code: 'LEUKEMIA' } }] }] }),
      noSuchItem: await post('/fhir/QuestionnaireResponse', { ...base, item: [{ linkId: 'favouriteColour', answer: [{ valueString: 'blue' }] }] }),
      anotherVersionsDay: await post('/fhir/QuestionnaireResponse', { ...base, item: [{ linkId: 'dateOfService', answer: [{ valueDate: '2020-01-01' }] }, { linkId: 'lineOfBusiness', answer: [{ valueCoding: { code: 'COMMERCIAL' } }] }] }),
      notOurs: await post('/fhir/QuestionnaireResponse', { ...base, questionnaire: 'http://elsewhere.example/Questionnaire/1' }),
    };
    for (const [name, answer] of Object.entries(refusals)) {
      expect(answer.status, name).toBe(400);
      expect((answer.body as { resourceType: string }).resourceType, name).toBe('OperationOutcome');
    }
  });
});

describe('every coverage-information this service produces meets CRD 2.2.1 and FHIR R4', () => {
  it('each outcome is asserted as the README table says, and all of them pass the invariants and the base validator', async () => {
    const decide = (input: Record<string, unknown>): Promise<Determination> => evaluateRequest(api.db.database, api.server.catalog, {
      guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: Object.entries(RELAPSED_ADULT).map(([key, value]) => ({ key, value })), ...input,
    } as never);
    // A guideline without a reviewed rule set (a synthetic one, ingested here): NOT_DECIDABLE.
    const document = syntheticGuideline(0);
    const [ingested] = await ingestDocuments(api.db.database, [{ fileName: document.fileName, bytes: new TextEncoder().encode(document.text) }]);
    const version = ingested?.versionId ? await api.server.catalog.get(ingested.versionId) : null;
    const synthetic = { number: ingested?.guidelineNumber as string, line: version?.document.linesOfBusiness[0]?.code as string };
    const facts = (changes: Record<string, unknown>) => Object.entries({ ...RELAPSED_ADULT, ...changes }).map(([key, value]) => ({ key, value }));
    const outcomes: [string, Determination][] = [
      ['APPROVED', await decide({})],
      ['DENIED', await decide({ facts: facts({ knownHypersensitivity: true }) })],
      ['PENDED', await decide({ facts: facts({ singleAgent: false }) })],
      ['INCOMPLETE', await decide({ facts: [{ key: 'birthDate', value: '1980-05-17' }] })],
      ['NOT_APPLICABLE', await decide({ lineOfBusiness: 'CHIP' })],
      ['NO_EFFECTIVE_VERSION', await decide({ dateOfService: '2020-01-01', facts: [] })],
      ['NOT_DECIDABLE', await decide({ guidelineNumber: synthetic.number, dateOfService: '2030-06-01', lineOfBusiness: synthetic.line, facts: [] })],
    ];
    // An approval while the order is only selected: not yet a satisfied authorization.
    const selectedApproval = coverageInformation(outcomes[0]?.[1] as Determination, { coverageReference: 'Coverage/cov1', assertedOn: '2026-03-01', billingCode: 'J9039', expiryDate: null, questionnaireUrl: null, policyLink: null, provisional: true });
    expect([part(selectedApproval, 'pa-needed')[0]?.valueCode, part(selectedApproval, 'satisfied-pa-id')]).toEqual(['auth-needed', []]);
    produced.extensions.push({ label: 'APPROVED, order-select', extension: selectedApproval });
    const table: Record<string, Record<string, string | undefined>> = {};
    for (const [expected, determination] of outcomes) {
      expect(determination.outcome).toBe(expected);
      const extension = coverageInformation(determination, { coverageReference: 'Coverage/cov1', assertedOn: '2026-03-01', billingCode: 'J9039', expiryDate: null, questionnaireUrl: 'http://localhost/fhir/Questionnaire/x', policyLink: 'http://localhost/guidelines/x/source' });
      produced.extensions.push({ label: expected, extension });
      produced.resources.push({ label: `MedicationRequest for ${expected}`, resource: { ...order(`m-${expected}`, [J9039]), extension: [extension] } });
      table[expected] = Object.fromEntries(['covered', 'pa-needed', 'doc-needed'].map((url) => [url, part(extension, url)[0]?.valueCode]));
      if (expected === 'APPROVED') {
        expect(part(extension, 'satisfied-pa-id')[0]?.valueString).toBe(determination.id);
        expect(part(extension, 'detail').some((detail) => part(detail, 'value')[0]?.valueQuantity?.code === '{unit}')).toBe(true);
      }
    }
    expect(table).toEqual({
      APPROVED: { covered: 'covered', 'pa-needed': 'satisfied', 'doc-needed': undefined },
      DENIED: { covered: 'not-covered', 'pa-needed': undefined, 'doc-needed': undefined },
      PENDED: { covered: 'covered', 'pa-needed': 'auth-needed', 'doc-needed': 'clinical' },
      INCOMPLETE: { covered: 'conditional', 'pa-needed': 'conditional', 'doc-needed': 'clinical' },
      NOT_APPLICABLE: { covered: 'indeterminate', 'pa-needed': 'indeterminate', 'doc-needed': undefined },
      NO_EFFECTIVE_VERSION: { covered: 'indeterminate', 'pa-needed': 'indeterminate', 'doc-needed': undefined },
      NOT_DECIDABLE: { covered: 'indeterminate', 'pa-needed': 'indeterminate', 'doc-needed': undefined },
    });

    expect(crdInvariants().map((invariant) => invariant.id)).toEqual(['crd-ci-q1', 'crd-ci-q2', 'crd-ci-q3', 'crd-ci-q4', 'crd-ci-q5', 'crd-ci-q6', 'crd-ci-q7', 'crd-ci-q8', 'crd-ci-q9']);
    let checks = 0;
    for (const { label, extension } of produced.extensions) {
      const verdicts = await checkInvariants(extension, terminology.url);
      expect(Object.entries(verdicts).filter(([, holds]) => !holds).map(([id]) => id), label).toEqual([]);
      checks += Object.keys(verdicts).length;
    }
    // crd-ci-q7's memberOf went to the IG's value set on the loopback terminology service.
    expect(terminology.calls.some((call) => call.includes('$validate-code') || call.includes('/ValueSet'))).toBe(true);
    for (const { label, resource } of produced.resources) expect(baseR4Problems(resource), label).toEqual([]);
    console.log(`CRD validation: ${produced.extensions.length} coverage-information extensions × 9 invariants = ${checks} checks, all hold; ${produced.resources.length} resources (MedicationRequests, the Questionnaire, QuestionnaireResponses) valid against base FHIR R4 (@medplum/core)`);
    expect(produced.extensions.length).toBeGreaterThanOrEqual(13);
  });

  it('the invariant check itself fails what breaks the IG (so the checks above could fail)', async () => {
    const broken: [string, Extension][] = [
      ['crd-ci-q1', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'questionnaire', valueCanonical: 'http://x/Questionnaire/1' }] }],
      ['crd-ci-q2', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'covered', valueCode: 'not-covered' }, { url: 'pa-needed', valueCode: 'no-auth' }] }],
      ['crd-ci-q3', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'covered', valueCode: 'conditional' }] }],
      ['crd-ci-q5', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'pa-needed', valueCode: 'satisfied' }] }],
      // As the IG writes it, q4 is not true (empty) for doc-purpose withpa beside pa-needed auth-needed too: why none is emitted.
      ['crd-ci-q4', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'pa-needed', valueCode: 'auth-needed' }, { url: 'doc-needed', valueCode: 'clinical' }, { url: 'doc-purpose', valueCode: 'withpa' }, { url: 'reason', valueCodeableConcept: { text: 'r' } }] }],
      ['crd-ci-q9', { url: COVERAGE_INFORMATION_URL, extension: [{ url: 'covered', valueCode: 'indeterminate' }] }],
    ];
    for (const [id, extension] of broken) expect((await checkInvariants(extension, terminology.url))[id], id).toBe(false);
    // And the base validator fails a MedicationRequest without its required subject and medication.
    expect(baseR4Problems({ resourceType: 'MedicationRequest', status: 'draft', intent: 'order' } as Resource).length).toBeGreaterThan(0);
  });
});
