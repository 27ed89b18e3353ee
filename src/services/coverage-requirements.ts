import { createHash, randomUUID } from 'node:crypto';
import type { Extension, MedicationRequest } from '@medplum/fhirtypes';
import { epochDay } from '../domain/calendar.ts';
import type { Determination } from '../domain/determination.ts';
import { DomainError } from '../domain/errors.ts';
import { ASSERTION_OF, coverageInformation } from '../fhir/coverage-information.ts';
import type { Indeterminate } from '../fhir/coverage-information.ts';
import type { CdsCard } from '../fhir/crd-card.ts';
import { coverageCard } from '../fhir/crd-card.ts';
import { COVERAGE_INFORMATION_URL } from '../fhir/crd-codes.ts';
import type { CoverageHook, HookOrder, HookProblem } from '../fhir/hook-request.ts';
import { lineOfBusinessOf, readHookRequest } from '../fhir/hook-request.ts';
import { exact, multiply, toNumber } from '../rules/exact.ts';
import { conversion } from '../rules/units.ts';
import type { Database } from '../store/database.ts';
import { evaluateRequest } from './evaluate-request.ts';
import { resolveGuideline, versionsOn } from './guideline-lookup.ts';
import { questionnaireUrl } from './dtr-questionnaires.ts';
import type { VersionCatalog, VersionEntry } from './version-catalog.ts';

/** The CDS services this server offers (CDS Hooks discovery). */
export const COVERAGE_SERVICES: readonly { readonly id: string; readonly hook: CoverageHook }[] = [
  { id: 'coverage-order-sign', hook: 'order-sign' },
  { id: 'coverage-order-select', hook: 'order-select' },
];

export function discovery(): unknown {
  return {
    services: COVERAGE_SERVICES.map(({ id, hook }) => ({
      hook, id,
      title: `Drug guideline coverage requirements (${hook})`,
      description: 'Da Vinci CRD 2.2.1: for each draft MedicationRequest coded by HCPCS, whether it is covered and whether prior authorization is needed under the drug guideline in effect, decided from the guideline text; what is missing is asked by a DTR questionnaire.',
      prefetch: { patient: 'Patient/{{context.patientId}}', coverage: 'Coverage?patient={{context.patientId}}&status=active' },
      extension: { 'davinci-crd.version': ['2.2'] },
    })),
  };
}

export interface HookOptions {
  /** Where links and questionnaires point (this server as EHRs reach it). */
  readonly baseUrl: string;
  /** The day the assertions are made. */
  readonly now: Date;
  readonly caller: { readonly keyId: string | null; readonly role: string };
  readonly sealKey: Uint8Array | null;
  /** Told of a failure of this service (the answer says `technical`; the log gets the error). */
  readonly onFailure: (error: unknown) => void;
  /** The request's time is up: no further order is decided (the answer is a TIMEOUT already). */
  readonly isExpired?: () => boolean;
}

export interface HookAnswer {
  readonly status: 200 | 400 | 412;
  readonly body: unknown;
}

const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);
const dayBefore = (instant: Date): string => dayOf(new Date(instant.getTime() - 86_400_000));

/** The deep link into the section that decided: the version's source lines, the criterion named. */
export function sectionLink(baseUrl: string, versionId: string, determination: Determination): string | null {
  const reason = determination.reasons.find((candidate) => candidate.deciding && candidate.span) ?? determination.reasons.find((candidate) => candidate.span);
  if (!reason?.span) return `${baseUrl}/guidelines/${versionId}/source`;
  const { startLine, endLine } = reason.span;
  return `${baseUrl}/guidelines/${versionId}/source?lines=${startLine}-${endLine}&criterion=${encodeURIComponent(reason.criterionKey)}#L${startLine}`;
}

/** Facts the order and the patient state, for the facts the rule set declares (the README's table). */
function factsFromOrder(order: HookOrder, birthDate: string | undefined, version: VersionEntry): { key: string; value: unknown }[] {
  const facts = version.compiledRuleSet?.facts ?? [];
  const given: { key: string; value: unknown }[] = [];
  if (birthDate && facts.some((fact) => fact.key === 'birthDate' && fact.type === 'date')) given.push({ key: 'birthDate', value: birthDate });
  const dose = order.dosePerDay;
  if (dose) {
    // The one number fact whose unit the daily dose converts to (UCUM); none or several: not mapped, asked instead.
    const targets = facts.flatMap((fact) => {
      if (fact.type !== 'number' || !fact.unit) return [];
      const converted = conversion(dose.unit, fact.unit);
      return 'factor' in converted ? [{ key: fact.key, factor: converted.factor }] : [];
    });
    if (targets.length === 1) {
      const target = targets[0] as (typeof targets)[number];
      const value = toNumber(multiply(exact(dose.value), target.factor));
      given.push({ key: target.key, value: Math.round(value * 1e6) / 1e6 });
    }
  }
  return given;
}

/** The assertion for one order: a stored determination, or why none could be made. */
async function assertOrder(database: Database, catalog: VersionCatalog, order: HookOrder, request: { hook: CoverageHook; hookInstance: string; patient: { birthDate?: string }; coverage: Parameters<typeof lineOfBusinessOf>[0] }, options: HookOptions): Promise<{ decided: Determination | Indeterminate; version: VersionEntry | null; code: string | null; expiry: string | null }> {
  const none = (text: string): Indeterminate => ({ kind: 'no-decision', text, assertionId: randomUUID() });
  const code = order.hcpcsCodes[0] ?? null;
  if (order.hcpcsCodes.length > 1) return { decided: none(`the order carries ${order.hcpcsCodes.length} HCPCS codes (${order.hcpcsCodes.join(', ')}); one is needed`), version: null, code: null, expiry: null };
  if (!code) {
    return { decided: none(order.rxnormCodes.length > 0 ? `the drug is coded only in RxNorm (${order.rxnormCodes.join(', ')}); no RxNorm to HCPCS mapping is declared, so no guideline is chosen` : 'the order carries no HCPCS code for the drug'), version: null, code: null, expiry: null };
  }
  let guideline: { id: string; number: string };
  try {
    guideline = await catalog.lookup(`guideline\u0000${JSON.stringify({ guidelineNumber: null, hcpcsCode: code, drug: null })}`, () => resolveGuideline(database.client, database.provider, { hcpcsCode: code }));
  } catch (error) {
    if (error instanceof DomainError) return { decided: none(error.message), version: null, code, expiry: null };
    throw error;
  }
  const dateOfService = order.dateOfService ?? dayOf(options.now);
  const day = epochDay(dateOfService);
  if (day === null) return { decided: none(`the order's date ${dateOfService} is not a calendar date`), version: null, code, expiry: null };
  const { summaries, inEffect: summary } = await versionsOn(database, catalog, guideline.id, dateOfService);
  const version = summary ? await catalog.get(summary.id) : null;
  const next = summary ? summaries.find((candidate) => candidate.effectiveFrom.getTime() > summary.effectiveFrom.getTime()) : summaries[0];
  const expiry = next ? dayBefore(next.effectiveFrom) : null;
  // No version in effect: nothing to decide, and no plan to check against it (none is stored by guess).
  if (!version) return { decided: none(`no version of ${guideline.number} is in effect on ${dateOfService}`), version: null, code, expiry };
  const listed = version.document.linesOfBusiness.map((line) => line.code);
  const line = lineOfBusinessOf(request.coverage, listed);
  if (!line) return { decided: none(`the Coverage states no line of business ${guideline.number} lists (${listed.join(', ')}): a plan class with one of these codes, or a payment typology of Medicare, Medicare managed care, Medicaid or private insurance`), version, code, expiry };
  try {
    // order-sign: the order being signed is a prior-authorization request, stored once per hook
    // call and order (a retry gets the same determination). order-select: the clinician is still
    // choosing, so it is decided as a what-if on the version in effect (stored, never counted as a
    // request) and an approval is not yet a satisfied authorization.
    const determination = await evaluateRequest(database, catalog, {
      hcpcsCode: code, dateOfService, lineOfBusiness: line.code,
      facts: factsFromOrder(order, request.patient.birthDate, version),
      caller: options.caller,
      ...(request.hook === 'order-select' ? { versionId: version.id } : { idempotencyKey: `crd-${createHash('sha256').update(`${request.hookInstance}\u0000${order.reference}`).digest('hex').slice(0, 48)}` }),
    }, { sealKey: options.sealKey });
    return { decided: determination, version, code, expiry };
  } catch (error) {
    // A request the guideline's rules refuse (a birth date after the date of service, a dose out of range): said, not guessed.
    if (error instanceof DomainError && error.code !== 'SERVICE_BUSY' && error.code !== 'DEADLINE_EXCEEDED') return { decided: none(error.message), version, code, expiry };
    throw error;
  }
}

/**
 * Answers a CRD hook: for each draft MedicationRequest, a stored determination under the
 * guideline its HCPCS code names (the same rules core and log as `evaluateRequest`), written as a
 * `coverage-information` extension in a systemAction update, and a card. Any failure of this
 * service answers `indeterminate` with reason `technical` for that order, never a guess.
 */
export async function answerCoverageHook(database: Database, catalog: VersionCatalog, hook: CoverageHook, body: unknown, options: HookOptions): Promise<HookAnswer> {
  const read = readHookRequest(hook, body);
  if ('problem' in read) return problemAnswer(read.problem);
  const { request } = read;
  const assertedOn = dayOf(options.now);
  const cards: CdsCard[] = [];
  const systemActions: { type: 'update'; description: string; resource: MedicationRequest }[] = [];
  for (const order of request.orders) {
    if (options.isExpired?.()) break;
    let outcome: Awaited<ReturnType<typeof assertOrder>>;
    try {
      outcome = await assertOrder(database, catalog, order, request, options);
    } catch (error) {
      options.onFailure(error);
      outcome = { decided: { kind: 'technical', text: 'a technical problem kept the payer from evaluating this order; try again', assertionId: randomUUID() }, version: null, code: order.hcpcsCodes[0] ?? null, expiry: null };
    }
    const { decided, version, code, expiry } = outcome;
    const policyLink = 'kind' in decided || !version ? null : sectionLink(options.baseUrl, version.id, decided);
    const extension: Extension = coverageInformation(decided, {
      coverageReference: `Coverage/${request.coverage.id}`, assertedOn,
      billingCode: code,
      expiryDate: 'kind' in decided ? null : expiry,
      questionnaireUrl: version ? questionnaireUrl(options.baseUrl, version.id) : null,
      policyLink,
      provisional: request.hook === 'order-select',
    });
    const others = (order.resource.extension ?? []).filter((existing) => existing.url !== COVERAGE_INFORMATION_URL);
    const covered = 'kind' in decided ? 'indeterminate' : ASSERTION_OF[decided.outcome].covered;
    systemActions.push({ type: 'update', description: `Coverage information for ${order.reference}: ${covered}`, resource: { ...order.resource, extension: [...others, extension] } });
    const brand = version?.document.header.brandName ?? order.display;
    cards.push(coverageCard(randomUUID(), brand, decided, policyLink, 'Drug guideline coverage requirements'));
  }
  return { status: 200, body: { cards, systemActions } };
}

function problemAnswer(problem: HookProblem): HookAnswer {
  return { status: problem.status, body: { error: problem.message } };
}
