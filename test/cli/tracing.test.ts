import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

interface ExportedSpan { name: string; attributes: { key: string; value: Record<string, unknown> }[] }
let collector: Server;
let collectorUrl: string;
const exported: { path: string; spans: ExportedSpan[]; service: string | undefined }[] = [];
let url: string;
let drop: () => Promise<void>;
let server: ChildProcess | null = null;

beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
  // An OTLP/HTTP collector on loopback: what the exporter sends, as JSON.
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resourceSpans of payload.resourceSpans) {
        exported.push({ path: request.url ?? '', service: resourceSpans.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue, spans: resourceSpans.scopeSpans.flatMap((scope) => scope.spans) });
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.kill('SIGKILL');
  collector?.close();
  await drop();
});

describe(`OpenTelemetry tracing, on by configuration (${testProvider})`, () => {
  it('exports one span per request over OTLP/HTTP, with its route, root field and status, and nothing the request carried', async () => {
    const { NODE_ENV: _unset, ...environment } = process.env;
    server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'start.ts')], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...environment, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', ALLOW_ANONYMOUS_READ: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: 'policy-api-under-test', OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    const exited = new Promise<number | null>((resolve) => server?.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start')), 60_000);
      server?.stdout?.on('data', (chunk: Buffer) => {
        const match = /GraphQL endpoint: http:\/\/127\.0\.0\.1:(\d+)\//.exec(chunk.toString());
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-1' }, body: JSON.stringify({ query: '{ guideline(number: "Evolut_CG_3258") { brandName } }' }) });
    expect(answer.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    // On SIGTERM the server drains, then flushes the spans still batched.
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    const spans = exported.flatMap((batch) => batch.spans);
    expect(exported.every((batch) => batch.path === '/v1/traces' && batch.service === 'policy-api-under-test')).toBe(true);
    const attributes = (span: ExportedSpan | undefined) => Object.fromEntries((span?.attributes ?? []).map((attribute) => [attribute.key, Object.values(attribute.value)[0]]));
    const graphql = spans.find((span) => attributes(span)['guideline_api.request_id'] === 'trace-me-1');
    expect(graphql?.name).toBe('POST graphql');
    expect(attributes(graphql)).toMatchObject({ 'http.route': 'graphql', 'graphql.root_field': 'guideline', 'http.response.status_code': 200 });
    expect(spans.some((span) => span.name === 'GET other' && attributes(span)['http.response.status_code'] === 404)).toBe(true);
    expect(JSON.stringify(exported)).not.toContain('Evolut_CG_3258');
  }, 90_000);
});
