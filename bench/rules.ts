/**
 * Throughput of the rules core against json-rules-engine running an equivalent encoding of the
 * Blincyto rules on the same requests, measured in one run. Prints evaluations/second and the ratio.
 *
 *   npx tsx bench/rules.ts [--seconds 3]
 *
 * The json-rules-engine encoding mirrors ours: one rule per contraindication/exclusion, the
 * population and the two scenarios, the continuation conditions; its result is folded into the
 * same outcome order (denied > off-label > incomplete > approved). Missing facts are supplied as
 * undefined facts and `allowUndefinedFacts` is on, which is exactly where json-rules-engine
 * cannot say "unknown" (it evaluates the condition false), so the comparison flatters it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Engine } from 'json-rules-engine';
import { parse } from 'yaml';
import { parseGuideline } from '../src/document/parse-guideline.ts';
import { epochDay } from '../src/domain/calendar.ts';
import { compileRuleSet } from '../src/rules/compile-rule-set.ts';
import type { CoreRequest } from '../src/rules/decide.ts';
import { decide, decideCompact, evaluate, evaluateInterpreted } from '../src/rules/decide.ts';
import type { RawRequest } from '../src/rules/read-request.ts';
import { readRequest } from '../src/rules/read-request.ts';
import { validateRuleSetSource } from '../src/rules/rule-set-schema.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const base = new URL('../guidelines/blincyto/Evolut_CG_3258-2026-01', import.meta.url).pathname;
const document = parseGuideline(readFileSync(`${base}.txt`, 'utf8')).document;
const source = validateRuleSetSource(parse(readFileSync(`${base}.rules.yaml`, 'utf8'))).source;
if (!document || !source) throw new Error('seed or rule set invalid');
const ruleSet = compileRuleSet(source, document).ruleSet;
if (!ruleSet) throw new Error('rule set does not compile');

// A fixed, varied set of requests (deterministic), shared by both engines.
const requests: Record<string, string | number | boolean | undefined>[] = Array.from({ length: 64 }, (_, i) => ({
  birthDate: i % 9 === 0 ? undefined : `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
  diagnosis: ['B_CELL_ALL', 'B_CELL_ALL', 'T_CELL_ALL', 'OTHER'][i % 4],
  cd19Status: i % 7 === 0 ? 'NEGATIVE' : 'POSITIVE',
  treatmentSetting: ['RELAPSED_REFRACTORY', 'CONSOLIDATION_AFTER_INDUCTION', 'OTHER'][i % 3],
  completedStandardInductionChemotherapy: i % 5 !== 0,
  mrdStatusAtEndOfInduction: ['POSITIVE', 'NEGATIVE', 'NOT_ASSESSED'][i % 3],
  singleAgent: i % 6 !== 0,
  knownHypersensitivity: i % 17 === 0,
  diseaseProgressionOnBlinatumomab: i % 13 === 0,
  requestedDosePerDayMcg: [9, 28, 28.5, 15][i % 4],
  requestedCyclePhase: ['INDUCTION', 'CONSOLIDATION', 'MAINTENANCE'][i % 3],
  requestedCycles: 1 + (i % 3),
  priorInductionConsolidationCycles: i % 11 === 0 ? undefined : i % 5,
  isContinuationRequest: i % 8 === 0,
  lastAdministrationDate: '2026-01-15',
  longestAuthorizationLapseDays: i % 40,
  additionalMedicationsAdded: i % 10 === 0,
}));
const dateOfService = epochDay('2026-03-02') ?? 0;
const coreRequests: CoreRequest[] = requests.map((facts) => ({
  dateOfService,
  lineOfBusiness: 'COMMERCIAL',
  evidence: [],
  values: ruleSet.facts.map((fact) => {
    const value = facts[fact.key];
    return fact.type === 'date' && typeof value === 'string' ? (epochDay(value) ?? undefined) : value;
  }),
}));

// json-rules-engine encoding of the same criteria.
const engine = new Engine([], { allowUndefinedFacts: true });
const rule = (name: string, conditions: unknown) => engine.addRule({ name, conditions: conditions as never, event: { type: name } });
rule('CI-46affae724', { all: [{ fact: 'knownHypersensitivity', operator: 'equal', value: true }] });
rule('EXC-1469f4ef5c', { all: [{ fact: 'diseaseProgressionOnBlinatumomab', operator: 'equal', value: true }] });
rule('EXC-de3884ab31', { all: [{ fact: 'requestedDosePerDayMcg', operator: 'greaterThan', value: 28 }] });
rule('EXC-beb2bcf92e', { all: [{ fact: 'requestedCyclePhase', operator: 'in', value: ['INDUCTION', 'CONSOLIDATION'] }, { fact: 'totalCycles', operator: 'greaterThan', value: 4 }] });
rule('POP-1', { all: [{ fact: 'ageMonths', operator: 'greaterThanInclusive', value: 1 }, { fact: 'diagnosis', operator: 'equal', value: 'B_CELL_ALL' }, { fact: 'cd19Status', operator: 'equal', value: 'POSITIVE' }] });
rule('IND-43569f7515', { all: [{ fact: 'treatmentSetting', operator: 'equal', value: 'CONSOLIDATION_AFTER_INDUCTION' }, { fact: 'completedStandardInductionChemotherapy', operator: 'equal', value: true }, { fact: 'mrdStatusAtEndOfInduction', operator: 'in', value: ['POSITIVE', 'NEGATIVE'] }] });
rule('IND-9bb14e165f', { all: [{ fact: 'treatmentSetting', operator: 'equal', value: 'RELAPSED_REFRACTORY' }, { fact: 'singleAgent', operator: 'equal', value: true }] });
rule('CONTINUATION', { all: [
  { fact: 'isContinuationRequest', operator: 'equal', value: true },
  { fact: 'diseaseProgressionOnBlinatumomab', operator: 'equal', value: false },
  { fact: 'daysSinceLastAdministration', operator: 'lessThanInclusive', value: 365 },
  { fact: 'longestAuthorizationLapseDays', operator: 'lessThanInclusive', value: 30 },
  { fact: 'additionalMedicationsAdded', operator: 'equal', value: false },
] });
engine.addFact('totalCycles', async (_params, almanac) => {
  const prior = (await almanac.factValue('priorInductionConsolidationCycles')) as number | undefined;
  const requested = (await almanac.factValue('requestedCycles')) as number | undefined;
  return prior === undefined || requested === undefined ? undefined : prior + requested;
});
engine.addFact('ageMonths', async (_params, almanac) => {
  const birth = (await almanac.factValue('birthDate')) as string | undefined;
  if (!birth) return undefined;
  const born = new Date(birth);
  const service = new Date('2026-03-02');
  return (service.getUTCFullYear() - born.getUTCFullYear()) * 12 + service.getUTCMonth() - born.getUTCMonth() - (service.getUTCDate() < born.getUTCDate() ? 1 : 0);
});
engine.addFact('daysSinceLastAdministration', async (_params, almanac) => {
  const last = (await almanac.factValue('lastAdministrationDate')) as string | undefined;
  return last ? (Date.parse('2026-03-02') - Date.parse(last)) / 86_400_000 : undefined;
});

async function jsonRulesOutcome(facts: Record<string, unknown>): Promise<string> {
  const { events } = await engine.run(facts);
  const fired = new Set(events.map((event) => event.type));
  if (['CI-46affae724', 'EXC-1469f4ef5c', 'EXC-de3884ab31', 'EXC-beb2bcf92e'].some((key) => fired.has(key))) return 'DENIED';
  const covered = (fired.has('POP-1') && (fired.has('IND-43569f7515') || fired.has('IND-9bb14e165f'))) || fired.has('CONTINUATION');
  return covered ? 'APPROVED' : 'PENDED';
}

/** Runs batches of the 64 requests for a fixed time; an async engine is awaited, a sync one is not. */
async function measure(label: string, run: (index: number) => unknown, isAsync: boolean): Promise<number> {
  for (let i = 0; i < 2000; i += 1) {
    const result = run(i % requests.length);
    if (isAsync) await result;
  }
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i += 1) {
      const result = run(i);
      if (isAsync) await result;
    }
    count += 64;
  }
  const perSecond = count / ((performance.now() - start) / 1000);
  console.log(`${label}: ${Math.round(perSecond).toLocaleString('en-US')} evaluations/s`);
  return perSecond;
}

// The raw requests as the API receives them (dates as text, facts as key/value pairs): the input
// json-rules-engine is given too, whose fact functions parse the dates themselves.
const rawRequests: RawRequest[] = requests.map((facts) => ({
  dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', evidence: [],
  facts: Object.entries(facts).filter(([, value]) => value !== undefined).map(([key, value]) => ({ key, value })),
}));
const fromRaw = (i: number) => {
  const { request } = readRequest(ruleSet, rawRequests[i] as RawRequest);
  if (!request) throw new Error('bench request invalid');
  return decideCompact(ruleSet, request);
};

const peer = await measure('json-rules-engine 7.3 (same rules, same requests, events only)', (i) => jsonRulesOutcome(requests[i] as Record<string, unknown>), true);
const interpreted = await measure('rules core, interpreted (closures rule by rule, the reference): evaluate', (i) => evaluateInterpreted(ruleSet, coreRequests[i] as CoreRequest), false);
const core = await measure('rules core: evaluate (generated; outcome, every rule result, deciding set)', (i) => evaluate(ruleSet, coreRequests[i] as CoreRequest), false);
const compact = await measure('rules core: evaluate + full trace, compact (results, deciding set, missing-fact bits over the static rule table)', (i) => decideCompact(ruleSet, coreRequests[i] as CoreRequest), false);
const raw = await measure('rules core: from raw facts (validated, dates read) to a decision with its compact trace', fromRaw, false);
const traced = await measure('rules core: evaluate + full trace rendered as objects (cited text, facts read, missing facts)', (i) => decide(ruleSet, coreRequests[i] as CoreRequest), false);
console.log(`ratio, evaluate: ${(core / peer).toFixed(1)}x the throughput of json-rules-engine (interpreted: ${(interpreted / peer).toFixed(1)}x)`);
console.log(`ratio, evaluate + full trace (compact): ${(compact / peer).toFixed(1)}x; rendered as objects: ${(traced / peer).toFixed(1)}x`);
console.log(`ratio, raw facts to decision and compact trace, both sides reading raw input: ${(raw / peer).toFixed(1)}x`);

// Where the two disagree is where json-rules-engine treats a missing fact as false (it cannot say "unknown").
let disagreements = 0;
for (let i = 0; i < requests.length; i += 1) {
  const ours = decide(ruleSet, coreRequests[i] as CoreRequest).outcome;
  const theirs = await jsonRulesOutcome(requests[i] as Record<string, unknown>);
  if (ours !== theirs && ours !== 'INCOMPLETE') disagreements += 1;
}
console.log(`outcomes that differ other than by "INCOMPLETE": ${disagreements} of ${requests.length}`);

// The cost of units and exact arithmetic: Besponsa's dose rules multiply mg/m2 limits by a body
// surface area derived from height and weight (Mosteller), compare exactly, and an approval
// computes billing units. Same engine, same measurement; printed beside the Blincyto figures.
const besponsaBase = new URL('../guidelines/besponsa/Evolut_CG_3301-2026-02', import.meta.url).pathname;
const besponsaDocument = parseGuideline(readFileSync(`${besponsaBase}.txt`, 'utf8')).document;
const besponsaSource = validateRuleSetSource(parse(readFileSync(`${besponsaBase}.rules.yaml`, 'utf8'))).source;
const besponsa = besponsaDocument && besponsaSource ? compileRuleSet(besponsaSource, besponsaDocument).ruleSet : null;
if (!besponsa) throw new Error('besponsa rule set does not compile');
const besponsaRequests: CoreRequest[] = Array.from({ length: 64 }, (_, i) => {
  const facts: Record<string, string | number | boolean | undefined> = {
    birthDate: epochDay(`19${50 + (i % 50)}-02-01`) ?? undefined, diagnosis: i % 5 === 0 ? 'OTHER' : 'B_CELL_PRECURSOR_ALL', cd22Status: 'POSITIVE',
    relapsedOrRefractory: true, regimen: 'SINGLE_AGENT', knownHypersensitivity: false, diseaseProgressionOnInotuzumab: false,
    heightCm: i % 13 === 0 ? undefined : 150 + (i % 40), weightKg: 50 + (i % 45) * 1.5,
    requestedDoseMg: 1 + (i % 8) * 0.1, requestedCycleTotalMg: 2.5 + (i % 10) * 0.2, priorCycles: i % 5, requestedCycles: 1, isContinuationRequest: false,
  };
  return { dateOfService, lineOfBusiness: 'MEDICARE_ADVANTAGE', evidence: [], values: besponsa.facts.map((fact) => facts[fact.key]) };
});
const outcomes = new Map<string, number>();
for (const request of besponsaRequests) {
  const { outcome } = decide(besponsa, request);
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}
console.log(`besponsa requests: ${[...outcomes].map(([outcome, count]) => `${count} ${outcome}`).join(', ')}`);
const arithmetic = await measure('rules core, Besponsa (BSA, exact mg/m2 × m2, billing units): evaluate', (i) => evaluate(besponsa, besponsaRequests[i] as CoreRequest), false);
const arithmeticTraced = await measure('rules core, Besponsa: evaluate + full trace and authorized limits', (i) => decide(besponsa, besponsaRequests[i] as CoreRequest), false);
console.log(`ratio, Besponsa evaluate: ${(arithmetic / peer).toFixed(1)}x json-rules-engine on Blincyto; with trace: ${(arithmeticTraced / peer).toFixed(1)}x`);
