import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Parameters, QuestionnaireResponse } from '@medplum/fhirtypes';
import { DomainError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import { answerCoverageHook, COVERAGE_SERVICES } from '../services/coverage-requirements.ts';
import { decideQuestionnaireResponse, nextQuestion, questionnaireOf, questionnairePackage } from '../services/dtr-questionnaires.ts';
import type { VersionCatalog } from '../services/version-catalog.ts';
import type { Database } from '../store/database.ts';
import type { Caller } from './authorization.ts';
import { allows } from './authorization.ts';
import { send } from './http-io.ts';
import { jsonNestingDepth, MAX_JSON_DEPTH } from './selection-limits.ts';

/** Paths the standards routes answer (CDS Hooks services, DTR's FHIR operations, the guideline source a card links to). */
export function isStandardsPath(pathname: string): boolean {
  return pathname.startsWith('/cds-services/') || pathname.startsWith('/fhir/') || pathname.startsWith('/guidelines/');
}

export interface StandardsContext {
  readonly database: Database;
  readonly catalog: VersionCatalog;
  readonly now: Date;
  /** This server as EHRs reach it: PUBLIC_BASE_URL, else the request's own host. */
  readonly baseUrl: string;
  readonly auditKey: Uint8Array | null;
  readonly onFailure: (error: unknown) => void;
  readonly isExpired: () => boolean;
}

const EVALUATORS: readonly Role[] = ['evaluator'];
const READERS: readonly Role[] = ['reader', 'evaluator', 'auditor', 'reviewer'];
const FHIR_JSON = 'application/fhir+json';

/** A FHIR error answer: an OperationOutcome with the problem, its code as FHIR issue type. */
function outcome(response: ServerResponse, status: number, code: string, message: string): void {
  send(response, status, FHIR_JSON, JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: message }] }));
}

function readJson(body: string): { value: unknown } | { problem: string } {
  if (body === '') return { problem: 'the request has no body' };
  if (jsonNestingDepth(body) > MAX_JSON_DEPTH) return { problem: `the body nests deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return { problem: 'the body is not JSON' };
  }
}

const domainStatus = (error: DomainError): number => (error.code === 'NOT_FOUND' ? 404 : error.code === 'NOT_DECIDABLE' ? 422 : error.code === 'SERVICE_BUSY' ? 503 : 400);

/**
 * The standards routes. CDS Hooks: `POST /cds-services/{id}` (role EVALUATOR; discovery is
 * answered before admission). DTR: `GET /fhir/Questionnaire/{version id}` and
 * `POST /fhir/Questionnaire/$questionnaire-package` (policy readers), `POST /fhir/Questionnaire/$next-question` (EVALUATOR;
 * nothing stored) and `POST /fhir/QuestionnaireResponse` (EVALUATOR; decided and stored).
 */
export async function handleStandards(context: StandardsContext, request: IncomingMessage, response: ServerResponse, pathname: string, caller: Caller, body: string): Promise<void> {
  const method = request.method ?? 'GET';
  const need = (roles: readonly Role[]): boolean => {
    if (allows(roles, caller.role)) return true;
    if (!caller.authenticated) send(response, 401, 'application/json', JSON.stringify({ error: 'an API key is needed (Authorization: Bearer …)' }), { 'www-authenticate': 'Bearer' });
    else send(response, 403, 'application/json', JSON.stringify({ error: `this needs an API key with role ${roles.map((role) => role.toUpperCase()).join(' or ')} (or ADMIN)` }));
    return false;
  };
  const service = /^\/cds-services\/([A-Za-z0-9-]+)$/.exec(pathname);
  if (service) {
    const known = COVERAGE_SERVICES.find((candidate) => candidate.id === service[1]);
    if (!known) return send(response, 404, 'application/json', JSON.stringify({ error: `no CDS service ${service[1]}` }));
    if (method !== 'POST') return send(response, 405, 'application/json', JSON.stringify({ error: 'a CDS service is called with POST' }), { allow: 'POST' });
    if (!need(EVALUATORS)) return;
    const json = readJson(body);
    if ('problem' in json) return send(response, 400, 'application/json', JSON.stringify({ error: json.problem }));
    const answer = await answerCoverageHook(context.database, context.catalog, known.hook, json.value, {
      baseUrl: context.baseUrl, now: context.now, caller: { keyId: caller.keyId ?? null, role: caller.role ?? 'anonymous' }, sealKey: context.auditKey, onFailure: context.onFailure, isExpired: context.isExpired,
    });
    return send(response, answer.status, 'application/json', JSON.stringify(answer.body));
  }
  try {
    const questionnaire = /^\/fhir\/Questionnaire\/([0-9a-f-]{36})$/.exec(pathname);
    if (questionnaire && method === 'GET') {
      if (!need(READERS)) return;
      return send(response, 200, FHIR_JSON, JSON.stringify(await questionnaireOf(context.catalog, context.baseUrl, questionnaire[1] as string)));
    }
    /** The body as the one FHIR resource type an operation takes; null when refused (answered with an OperationOutcome). */
    const resourceIn = <T>(resourceType: string): T | null => {
      const json = readJson(body);
      if ('problem' in json) outcome(response, 400, 'invalid', json.problem);
      else if ((json.value as { resourceType?: unknown } | null)?.resourceType !== resourceType) outcome(response, 400, 'invalid', `the body must be a ${resourceType}`);
      else return json.value as T;
      return null;
    };
    if (pathname === '/fhir/Questionnaire/$questionnaire-package' && method === 'POST') {
      if (!need(READERS)) return;
      const given = resourceIn<Parameters>('Parameters');
      if (!given) return;
      return send(response, 200, FHIR_JSON, JSON.stringify(await questionnairePackage(context.database, context.catalog, context.baseUrl, given, context.now.toISOString().slice(0, 10))));
    }
    if (pathname === '/fhir/Questionnaire/$next-question' && method === 'POST') {
      if (!need(EVALUATORS)) return;
      const given = resourceIn<QuestionnaireResponse>('QuestionnaireResponse');
      if (!given) return;
      return send(response, 200, FHIR_JSON, JSON.stringify(await nextQuestion(context.database, context.catalog, context.baseUrl, given)));
    }
    if (pathname === '/fhir/QuestionnaireResponse' && method === 'POST') {
      if (!need(EVALUATORS)) return;
      const given = resourceIn<QuestionnaireResponse>('QuestionnaireResponse');
      if (!given) return;
      const determination = await decideQuestionnaireResponse(context.database, context.catalog, context.baseUrl, given, { caller: { keyId: caller.keyId ?? null, role: caller.role ?? 'anonymous' }, sealKey: context.auditKey });
      return send(response, 200, FHIR_JSON, JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'determination', valueString: determination.id },
          { name: 'outcome', valueCode: determination.outcome },
          { name: 'summary', valueString: determination.summary },
          ...(determination.versionId ? [{ name: 'version', valueString: determination.versionId }] : []),
        ],
      }));
    }
  } catch (error) {
    if (error instanceof DomainError) return outcome(response, domainStatus(error), error.code === 'NOT_FOUND' ? 'not-found' : 'invalid', error.message);
    throw error;
  }
  return send(response, 404, 'application/json', JSON.stringify({ error: 'not found' }));
}
