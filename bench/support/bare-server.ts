/**
 * The floor each API path is compared with, in a process of its own: bare node:http on loopback.
 *   replay <responses.json>  returns, for each request body, the bytes the API returned for it;
 *   evaluate <databaseUrl>   runs the same rules core on an evaluateRequest body, renders it,
 *                            chains and stores it with one prepared INSERT (no GraphQL, no Prisma query engine).
 * Prints "listening <port>".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decide } from '../../src/rules/decide.ts';
import { readRawRequest, renderDecision } from '../../src/services/evaluate-request.ts';
import { VersionCatalog } from '../../src/services/version-catalog.ts';
import { insertDetermination } from '../../src/store/determination-store.ts';
import { openDatabase } from '../../src/store/database.ts';

const [mode, argument] = process.argv.slice(2);
let handle: (body: string) => string | Promise<string>;
if (mode === 'replay') {
  const responses = new Map(Object.entries(JSON.parse(readFileSync(argument as string, 'utf8')) as Record<string, string>));
  handle = (body) => responses.get(body) ?? '{"errors":[{"message":"unknown body"}]}';
} else if (mode === 'evaluate') {
  const database = await openDatabase(argument as string);
  const version = await database.client.guidelineVersion.findFirstOrThrow({ where: { guideline: { number: 'Evolut_CG_3258' } }, select: { id: true } });
  const entry = await new VersionCatalog(database.client).get(version.id);
  const ruleSet = entry?.compiledRuleSet;
  if (!entry?.ruleSet || !ruleSet) throw new Error('Blincyto has no rule set');
  const ruleSetSha256 = entry.ruleSet.sha256;
  handle = async (body) => {
    const { variables } = JSON.parse(body) as { variables: { input: { dateOfService: string; lineOfBusiness: string; facts: { key: string; value: unknown }[] } } };
    const input = variables.input;
    const decision = decide(ruleSet, readRawRequest(ruleSet, { ...input, evidence: [] }));
    const { factsUsed, ...result } = renderDecision(ruleSet, decision);
    const row = await insertDetermination(database, {
      id: randomUUID(), idempotencyKey: null, callerKeyId: null, callerRole: null, requestSha256: randomUUID(), guidelineNumber: 'Evolut_CG_3258', dateOfService: input.dateOfService, lineOfBusiness: input.lineOfBusiness,
      whatIf: false, expedited: false, versionId: version.id, ruleSetSha256, outcome: decision.outcome, factsUsed, evidence: [], result,
    }, new Date());
    return JSON.stringify({ data: { evaluateRequest: { id: row.id, outcome: row.outcome, summary: result.summary, reasons: result.reasons, authorizedLimits: result.authorizedLimits, notices: result.notices } } });
  };
} else throw new Error('usage: bare-server replay <responses.json> | evaluate <databaseUrl>');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    Promise.resolve(handle(Buffer.concat(chunks).toString('utf8'))).then((text) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(text);
    }, (error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
