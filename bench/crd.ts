/**
 * Latency of the standards paths against the GraphQL path doing the same decision, every party in
 * its own process (the server as `npm start` runs it, the load generator): a CRD `order-sign` hook
 * (one draft MedicationRequest, decided and stored), DTR `$next-question` (answers decided,
 * nothing stored) at several stages of the questionnaire, and `evaluateRequest` with the same
 * facts the hook maps. p50/p99 (autocannon, whole milliseconds), req/s and server CPU per request,
 * at 1 and 10 connections, on the shipped guidelines plus synthetic ones. CRD's budget for a hook
 * is 5 s; DTR's for a later `$next-question` 1 s.
 *
 *   npx tsx bench/crd.ts [--guidelines 1000] [--seconds 10]      (BENCH_PG_URL=… for PostgreSQL)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiKey } from '../src/services/api-keys.ts';
import { ingestDocuments } from '../src/services/ingest-document.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';
import { API_READY, BENCH_KEY_RATE, measure, start, syntheticCatalogDocuments } from './support/processes.ts';

const { values } = parseArgs({ options: { guidelines: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' } } });
const work = mkdtempSync(join(tmpdir(), 'bench-crd-'));
const scratch = await scratchDatabase(process.env['BENCH_PG_URL'] ?? null, 'bench');
let child: Awaited<ReturnType<typeof start>>['child'] | null = null;
try {
  const { database } = await prepareDatabase(scratch.url);
  await loadShippedGuidelines(database);
  const count = Number(values.guidelines);
  const documents = await syntheticCatalogDocuments(count);
  for (let index = 0; index < count; index += 100) await ingestDocuments(database, documents.slice(index, index + 100));
  const { token } = await createApiKey(database.client, { name: 'bench', role: 'admin', expiresAt: null });
  const version = await database.client.guidelineVersion.findFirstOrThrow({ where: { guideline: { number: 'Evolut_CG_3258' } }, orderBy: { effectiveFrom: 'desc' }, select: { id: true } });
  await database.close();
  const { NODE_ENV: _unset, ...environment } = process.env;
  const server = await start(['src/cli/start.ts'], { ...environment, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', ALLOW_ANONYMOUS_READ: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE }, API_READY);
  child = server.child;
  const base = `http://127.0.0.1:${server.port}`;
  const authorization = `Bearer ${token}`;

  const doses = [9, 15, 28, 28.5, 20, 5];
  const order = (dose: number) => ({
    resourceType: 'MedicationRequest', id: `mr-${dose}`, status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, authoredOn: '2026-03-02',
    medicationCodeableConcept: { coding: [{ system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'J9039' }] },
    dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: dose, unit: 'ug', system: 'http://unitsofmeasure.org', code: 'ug' } }] }],
  });
  const hookBodies = doses.map((dose) => JSON.stringify({
    hook: 'order-sign', hookInstance: `bench-${dose}`, context: { userId: 'Practitioner/1', patientId: 'p1', draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: order(dose) }] } },
    prefetch: { patient: { resourceType: 'Patient', id: 'p1', birthDate: '1980-05-17' }, coverage: { resourceType: 'Coverage', id: 'c1', status: 'active', class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'COMMERCIAL' }] } },
  }));
  // A questionnaire at several stages: the context answered, then one more fact each time.
  const answers: [string, Record<string, unknown>][] = [
    ['dateOfService', { valueDate: '2026-03-02' }], ['lineOfBusiness', { valueCoding: { code: 'COMMERCIAL' } }], ['birthDate', { valueDate: '1980-05-17' }],
    ['diagnosis', { valueCoding: { code: 'B_CELL_ALL' } }], ['cd19Status', { valueCoding: { code: 'POSITIVE' } }], ['treatmentSetting', { valueCoding: { code: 'RELAPSED_REFRACTORY' } }],
  ];
  const questionnaire = `${base}/fhir/Questionnaire/${version.id}`;
  const nextBodies = [2, 3, 4, 5, 6].map((answered) => JSON.stringify({ resourceType: 'QuestionnaireResponse', status: 'in-progress', questionnaire, item: answers.slice(0, answered).map(([linkId, answer]) => ({ linkId, answer: [answer] })) }));
  const evaluateBodies = doses.map((dose) => JSON.stringify({
    query: 'mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { id outcome summary missingFacts { key question } } }',
    variables: { input: { hcpcsCode: 'J9039', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: [{ key: 'birthDate', value: '1980-05-17' }, { key: 'requestedDosePerDayMcg', value: dose }] } },
  }));
  const paths: [string, string, string[]][] = [
    ['CRD order-sign hook (decided and stored)', `${base}/cds-services/coverage-order-sign`, hookBodies],
    ['DTR $next-question (nothing stored)', `${base}/fhir/Questionnaire/$next-question`, nextBodies],
    ['GraphQL evaluateRequest, same facts (stored)', `${base}/graphql`, evaluateBodies],
  ];
  console.log(`catalog: 6 shipped + ${count} synthetic guidelines on ${process.env['BENCH_PG_URL'] ? 'postgresql' : 'sqlite'}; ${values.seconds} s per row; server CPU from /proc`);
  console.log('| path | connections | req/s | server CPU µs/req | p50 ms | p99 ms | failed |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [, url, bodies] of paths) await measure(work, child.pid as number, url, bodies, authorization, '2', '4');
  for (const connections of ['1', '10']) {
    for (const [name, url, bodies] of paths) {
      const result = await measure(work, child.pid as number, url, bodies, authorization, values.seconds as string, connections);
      console.log(`| ${name} | ${connections} | ${result.requestsPerSecond.toFixed(0)} | ${result.cpuMicrosPerRequest.toFixed(0)} | ${result.p50} | ${result.p99} | ${result.failed} |`);
    }
  }
} finally {
  child?.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await scratch.drop();
  rmSync(work, { recursive: true, force: true });
}
