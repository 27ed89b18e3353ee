import type { Bundle, Coding, Coverage, Medication, MedicationRequest, Patient, Resource } from '@medplum/fhirtypes';
import { COVERAGE_CLASS_SYSTEM, HCPCS_SYSTEM, PAYMENT_TYPOLOGY_SYSTEM, RXNORM_SYSTEM, UCUM_SYSTEM } from './crd-codes.ts';

export type CoverageHook = 'order-sign' | 'order-select';

/** A request this service cannot read: 400 for a malformed one, 412 for prefetch it needs and was not sent. */
export interface HookProblem {
  readonly status: 400 | 412;
  readonly message: string;
}

/** One draft MedicationRequest the hook asks about, with what it says in our terms. */
export interface HookOrder {
  /** `MedicationRequest/<id>`, as a systemAction update names it. */
  readonly reference: string;
  readonly resource: MedicationRequest;
  readonly hcpcsCodes: readonly string[];
  readonly rxnormCodes: readonly string[];
  /** The day the drug is to be given: the dosage's start, else the day the order was written (null when neither is given). */
  readonly dateOfService: string | null;
  /** The dose per day as UCUM (`ug/d`), when the dosage gives a dose and a frequency in days or shorter. */
  readonly dosePerDay: { readonly value: number; readonly unit: string } | null;
  readonly display: string;
}

export interface CoverageHookRequest {
  readonly hook: CoverageHook;
  readonly hookInstance: string;
  readonly patient: Patient;
  readonly coverage: Coverage;
  readonly orders: readonly HookOrder[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const bad = (message: string): { problem: HookProblem } => ({ problem: { status: 400, message } });
const DAY = /^(\d{4}-\d{2}-\d{2})/;
/** Orders one hook call may ask about: each is decided and stored. */
export const MAX_ORDERS = 50;

/** UCUM time units a dosage period may use, in days; months and years have no fixed length and are not converted. */
const DAYS_PER: Readonly<Record<string, number>> = { s: 1 / 86_400, min: 1 / 1440, h: 1 / 24, d: 1, wk: 7 };

function codesOf(codings: readonly Coding[] | undefined, system: string): string[] {
  return (codings ?? []).filter((coding) => coding.system === system && typeof coding.code === 'string').map((coding) => (coding.code as string).trim().toUpperCase());
}

function resourcesOf(value: unknown): Resource[] {
  if (!isObject(value)) return [];
  if (value['resourceType'] === 'Bundle') return ((value as unknown as Bundle).entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  return typeof value['resourceType'] === 'string' ? [value as unknown as Resource] : [];
}

/**
 * The daily dose, only where the dosage says exactly one: one dosage line, one dose, a fixed
 * frequency per period. Ranges (`frequencyMax`, `periodMax`), times of day, several lines or doses:
 * not computed, so the dose is asked, never underestimated.
 */
function dosePerDay(order: MedicationRequest): HookOrder['dosePerDay'] {
  if ((order.dosageInstruction?.length ?? 0) !== 1) return null;
  const dosage = order.dosageInstruction?.[0];
  if ((dosage?.doseAndRate?.length ?? 0) !== 1) return null;
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  const repeat = dosage?.timing?.repeat;
  if (!dose || typeof dose.value !== 'number' || dose.system !== UCUM_SYSTEM || !dose.code || !repeat) return null;
  if (repeat.frequencyMax !== undefined || repeat.periodMax !== undefined || (repeat.timeOfDay?.length ?? 0) > 0 || (repeat.when?.length ?? 0) > 0 || (dosage?.timing?.event?.length ?? 0) > 0) return null;
  const frequency = repeat.frequency ?? 1;
  const days = repeat.periodUnit ? DAYS_PER[repeat.periodUnit] : undefined;
  if (typeof repeat.period !== 'number' || repeat.period <= 0 || days === undefined) return null;
  return { value: (dose.value * frequency) / (repeat.period * days), unit: `${dose.code}/d` };
}

/** What a draft MedicationRequest says in our terms (its codes, day, daily dose); `contained` may hold the Medication it references. */
export function readOrder(resource: MedicationRequest, contained: readonly Resource[] = []): HookOrder {
  const referenced = resource.medicationReference?.reference?.startsWith('#')
    ? [...(resource.contained ?? []), ...contained].find((item): item is Medication => item.resourceType === 'Medication' && `#${item.id}` === resource.medicationReference?.reference)
    : undefined;
  const concept = resource.medicationCodeableConcept ?? referenced?.code;
  const start = resource.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod?.start ?? resource.authoredOn ?? null;
  return {
    reference: `MedicationRequest/${resource.id ?? ''}`,
    resource,
    hcpcsCodes: codesOf(concept?.coding, HCPCS_SYSTEM),
    rxnormCodes: codesOf(concept?.coding, RXNORM_SYSTEM),
    dateOfService: start ? (DAY.exec(start)?.[1] ?? null) : null,
    dosePerDay: dosePerDay(resource),
    display: concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display ?? concept?.coding?.[0]?.code ?? 'the ordered drug',
  };
}

/**
 * Reads an `order-sign` or `order-select` request (CDS Hooks 2.0): the draft MedicationRequests
 * it asks about (for order-select, only the selected ones), and the Patient and Coverage it
 * prefetched. Anything else in the draft orders is not this service's to answer.
 */
export function readHookRequest(hook: CoverageHook, body: unknown): { request: CoverageHookRequest } | { problem: HookProblem } {
  if (!isObject(body)) return bad('the hook request must be a JSON object');
  if (body['hook'] !== hook) return bad(`this service answers "${hook}", not ${JSON.stringify(body['hook'] ?? null)}`);
  const hookInstance = body['hookInstance'];
  if (typeof hookInstance !== 'string' || hookInstance.length === 0 || hookInstance.length > 100) return bad('hookInstance must be a string of 1 to 100 characters');
  const context = body['context'];
  if (!isObject(context)) return bad('context must be an object');
  const patientId = context['patientId'];
  if (typeof patientId !== 'string' || patientId === '') return bad('context.patientId must be a string');
  const draftOrders = context['draftOrders'];
  if (!isObject(draftOrders) || draftOrders['resourceType'] !== 'Bundle') return bad('context.draftOrders must be a Bundle');
  const drafts = resourcesOf(draftOrders);
  let medicationRequests = drafts.filter((resource): resource is MedicationRequest => resource.resourceType === 'MedicationRequest');
  if (medicationRequests.some((order) => typeof order.id !== 'string' || order.id === '')) return bad('every draft MedicationRequest needs an id (a systemAction update names it)');
  if (hook === 'order-select') {
    const selections = context['selections'];
    if (!Array.isArray(selections) || selections.some((selection) => typeof selection !== 'string')) return bad('context.selections must be a list of references');
    const selected = new Set(selections as string[]);
    medicationRequests = medicationRequests.filter((order) => selected.has(`MedicationRequest/${order.id}`));
  }
  if (medicationRequests.length > MAX_ORDERS) return bad(`at most ${MAX_ORDERS} draft MedicationRequests in one hook call; this one has ${medicationRequests.length}`);
  const prefetch = isObject(body['prefetch']) ? body['prefetch'] : {};
  const patient = resourcesOf(prefetch['patient']).find((resource): resource is Patient => resource.resourceType === 'Patient');
  if (!patient) return { problem: { status: 412, message: 'prefetch "patient" (Patient/{{context.patientId}}) is missing: this service does not query the EHR' } };
  // Everything decided must be about the hook's patient: another patient's birth date or plan would decide silently.
  if (patient.id !== patientId) return bad(`the prefetched Patient is ${patient.id ?? 'without an id'}, not context.patientId ${patientId}`);
  const about = (reference: string | undefined) => reference === undefined || reference === `Patient/${patientId}` || reference.endsWith(`/Patient/${patientId}`);
  const strangers = medicationRequests.filter((order) => !about(order.subject?.reference));
  if (strangers.length > 0) return bad(`MedicationRequest/${strangers[0]?.id} is for ${strangers[0]?.subject?.reference}, not Patient/${patientId}`);
  const coverages = resourcesOf(prefetch['coverage']).filter((resource): resource is Coverage => resource.resourceType === 'Coverage');
  if (coverages.length === 0) return { problem: { status: 412, message: 'prefetch "coverage" (Coverage?patient={{context.patientId}}&status=active) is missing: no coverage, no coverage assertion' } };
  // Only an active coverage is asserted for: a cancelled or draft one says nothing of what is covered now.
  const active = coverages.filter((coverage) => coverage.status === 'active');
  if (active.length === 0) return { problem: { status: 412, message: 'prefetch "coverage" holds no active Coverage: no active coverage, no coverage assertion' } };
  if (active.length > 1) return { problem: { status: 412, message: `prefetch "coverage" holds ${active.length} active coverages; this service asserts for one (send the member's coverage with this payer)` } };
  const coverage = active[0] as Coverage;
  if (typeof coverage.id !== 'string' || coverage.id === '') return bad('the prefetched Coverage needs an id (the assertion references it)');
  if (!about(coverage.beneficiary?.reference)) return bad(`the prefetched Coverage is for ${coverage.beneficiary?.reference}, not Patient/${patientId}`);
  return { request: { hook, hookInstance, patient, coverage, orders: medicationRequests.map((order) => readOrder(order, drafts)) } };
}

/**
 * The line of business a Coverage states: its `plan` class whose value is one of the codes given
 * (the guideline's own), else a Source of Payment Typology type with one meaning (1 Medicare,
 * 11 Medicare managed care, 2 Medicaid, 5 private insurance). Null when it states none of these:
 * never guessed.
 */
export function lineOfBusinessOf(coverage: Coverage, known: readonly string[]): { code: string; from: string } | null {
  for (const item of coverage.class ?? []) {
    const isPlan = (item.type?.coding ?? []).some((coding) => coding.system === COVERAGE_CLASS_SYSTEM && coding.code === 'plan');
    const value = item.value?.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    if (isPlan && value && known.includes(value)) return { code: value, from: `Coverage.class (plan) ${item.value}` };
  }
  const typology: Readonly<Record<string, string>> = { '1': 'MEDICARE', '11': 'MEDICARE_ADVANTAGE', '2': 'MEDICAID', '5': 'COMMERCIAL' };
  for (const coding of coverage.type?.coding ?? []) {
    const mapped = coding.system === PAYMENT_TYPOLOGY_SYSTEM && coding.code ? typology[coding.code] : undefined;
    if (mapped && known.includes(mapped)) return { code: mapped, from: `Coverage.type (payment typology ${coding.code})` };
  }
  return null;
}
