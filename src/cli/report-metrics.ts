import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../domain/errors.ts';
import { metricsCsv, metricsTable } from '../services/metrics-report.ts';
import { priorAuthorizationMetrics } from '../services/prior-authorization-metrics.ts';
import { openDatabase } from '../store/database.ts';
import { databaseUrl } from './config.ts';

// npm run report:metrics -- --from 2026-01-01 --to 2026-12-31 [--csv metrics.csv]: the CMS-0057-F
// prior-authorization figures of a period, as a table (and as CSV when asked).
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'string' } } });
if (!values.from || !values.to) {
  console.error('usage: npm run report:metrics -- --from YYYY-MM-DD --to YYYY-MM-DD [--csv file.csv]');
  process.exit(2);
}
const database = await openDatabase(databaseUrl());
try {
  const metrics = await priorAuthorizationMetrics(database, values.from, values.to);
  console.log(metricsTable(metrics));
  if (values.csv) {
    writeFileSync(values.csv, metricsCsv(metrics));
    console.log(`CSV written to ${values.csv}`);
  }
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
} finally {
  await database.close();
}
