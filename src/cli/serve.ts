import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApiServer } from '../api/server.ts';
import { CorsSettingError, corsOriginsFromEnvironment } from '../api/cors.ts';
import { safeError } from '../api/safe-error.ts';
import { limitsFromEnvironment, rateLimitsFromEnvironment } from '../api/abuse-limits.ts';
import { auditKeyFromEnvironment } from '../services/audit-checkpoints.ts';
import { DEFAULT_DRAFT_DEADLINE_MS } from '../services/draft-evaluator.ts';
import { loadShippedGuidelines } from '../services/load-shipped-guidelines.ts';
import { describeUrl } from '../store/database.ts';
import { prepareDatabase } from '../store/prepare-database.ts';
import { databaseUrl } from './config.ts';
import { startTracing } from './tracing-setup.ts';

const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
// The deployment mode: set by npm start (src/cli/start.ts) from the operator's NODE_ENV before it defaults NODE_ENV for graphql-js.
const production = (process.env['GUIDELINE_API_MODE'] ?? process.env['NODE_ENV']) === 'production';
const flag = (name: string, fallback: boolean): boolean => (process.env[name] === undefined ? fallback : /^(1|true|yes|on)$/i.test(process.env[name] ?? ''));

const port = Number(process.env['PORT'] ?? 4000);
const host = process.env['HOST'] ?? 'localhost';
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  logger.fatal({ port: process.env['PORT'] }, 'PORT must be a whole number from 0 to 65535 (0: any free port)');
  process.exit(1);
}
let corsOrigins: readonly string[] = [];
try {
  corsOrigins = corsOriginsFromEnvironment(process.env);
} catch (error) {
  if (!(error instanceof CorsSettingError)) throw error;
  logger.fatal(error.message);
  process.exit(1);
}
/** PUBLIC_BASE_URL: this server as EHRs reach it (links and questionnaire URLs in CRD answers); an http(s) origin with an optional path. */
function publicBaseUrl(): string | null {
  const given = process.env['PUBLIC_BASE_URL']?.trim();
  if (!given) return null;
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~\/-]*)?$/.test(given)) {
    logger.fatal({ publicBaseUrl: given }, 'PUBLIC_BASE_URL must be an http(s) URL such as https://policy.example.org');
    process.exit(1);
  }
  return given.replace(/\/+$/, '');
}
const tracing = await startTracing(process.env);
// The endpoint is not logged: its URL may carry credentials.
if (tracing) logger.info('OpenTelemetry tracing on (OTLP/HTTP)');
const url = databaseUrl();
const { database, migrations } = await prepareDatabase(url);
logger.info({ database: describeUrl(url), applied: migrations.applied }, 'database ready');
const shipped = await loadShippedGuidelines(database);
for (const result of shipped.results.filter((item) => item.status === 'rejected')) {
  logger.error({ file: result.fileName, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') }, 'shipped guideline rejected');
}
logger.info({ loaded: shipped.loaded, unchanged: shipped.unchanged, rulesAttached: shipped.rulesAttached, rejected: shipped.rejected }, 'shipped guidelines');

const playground = flag('PLAYGROUND', !production);
// Anonymous reading is on only for the embedded SQLite development default, never in production.
const anonymousRead = flag('ALLOW_ANONYMOUS_READ', !production && !process.env['DATABASE_URL']);
const draftDeadlineMs = Number(process.env['DRAFT_DEADLINE_MS'] ?? DEFAULT_DRAFT_DEADLINE_MS);
if (!Number.isInteger(draftDeadlineMs) || draftDeadlineMs <= 0) throw new Error('DRAFT_DEADLINE_MS must be a positive whole number of milliseconds');
const server = await createApiServer({ database, databaseUrl: url, logger, playground, introspection: flag('INTROSPECTION', playground), limits: limitsFromEnvironment(process.env), rateLimits: rateLimitsFromEnvironment(process.env), auditKey: auditKeyFromEnvironment(process.env), corsOrigins, metrics: flag('METRICS', true), metricsToken: process.env['METRICS_TOKEN'] || null, anonymousRead, draftDeadlineMs, responseCache: flag('RESPONSE_CACHE', true), publicBaseUrl: publicBaseUrl() });
// A port already taken (or not ours to bind) is one clear line and exit code 1, not a stack trace.
const notListening = (error: NodeJS.ErrnoException): void => {
  const reason = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'needs privileges this process does not have' : `cannot be listened on (${error.code ?? 'unknown error'})`;
  logger.fatal({ host, port, code: error.code }, `port ${port} on ${host} ${reason}: stop the other server or set PORT`);
  void server.stop().then(() => database.close()).finally(() => process.exit(1));
};
server.http.once('error', notListening);
server.http.listen(port, host, () => {
  server.http.off('error', notListening);
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  // The bound port, so that PORT=0 (any free port) prints a usable address.
  const bound = (server.http.address() as AddressInfo).port;
  const endpoint = `http://${shown}:${bound}/graphql`;
  // A JSON line like every other, its message still readable by a person; written whatever LOG_LEVEL is.
  logger.child({}, { level: 'info' }).info({ endpoint, playground, anonymousRead, production }, `GraphQL endpoint: ${endpoint}${playground ? ` (playground: open it in a browser)` : ''}${anonymousRead ? '; anonymous callers may read policy content' : '; every request needs an API key (npm run apikey)'}`);
});

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  server.stop().then(() => database.close()).then(() => tracing?.stop()).then(() => process.exit(0), (error: unknown) => {
    logger.error({ err: safeError(error) }, 'shutdown failed');
    process.exit(1);
  });
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
