import type { MetricsRow, PriorAuthorizationMetrics } from './prior-authorization-metrics.ts';

const COLUMNS: readonly [string, (row: MetricsRow) => string | number | null][] = [
  ['requests', (row) => row.requests],
  ['decided', (row) => row.decided],
  ['approved %', (row) => row.percentApproved],
  ['denied %', (row) => row.percentDenied],
  ['approved after review %', (row) => row.percentApprovedAfterReview],
  ['after reopened review %', (row) => row.percentApprovedAfterReopenedReview],
  ['pending', (row) => row.pending],
  ['not decided', (row) => row.notDecided],
  ['standard avg h', (row) => row.standard.averageHours],
  ['standard median h', (row) => row.standard.medianHours],
  ['expedited avg h', (row) => row.expedited.averageHours],
  ['expedited median h', (row) => row.expedited.medianHours],
];

function rowsOf(metrics: PriorAuthorizationMetrics): [string, string, MetricsRow][] {
  return [
    ['all', 'all requests', metrics.overall],
    ...metrics.byLineOfBusiness.map((row): [string, string, MetricsRow] => ['line of business', row.group ?? '', row]),
    ...metrics.byGuideline.map((row): [string, string, MetricsRow] => ['guideline', row.group ?? '', row]),
  ];
}

const shown = (value: string | number | null): string => (value === null ? '-' : String(value));

/** The metrics as a table for a terminal: one line per group, columns aligned. */
export function metricsTable(metrics: PriorAuthorizationMetrics): string {
  const header = ['group', '', ...COLUMNS.map(([name]) => name)];
  const lines = [header, ...rowsOf(metrics).map(([kind, group, row]) => [kind, group, ...COLUMNS.map(([, value]) => shown(value(row)))])];
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] as string).length)));
  const render = (line: string[]): string => line.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ').trimEnd();
  return [`Prior-authorization metrics (CMS-0057-F), requests decided ${metrics.from} to ${metrics.to}, as they stood at the end of the period`, render(header), ...lines.slice(1).map(render)].join('\n');
}

/** RFC 4180 CSV: a header line, then one line per group; empty cells where there is no figure. */
export function metricsCsv(metrics: PriorAuthorizationMetrics): string {
  const quote = (value: string): string => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const header = ['from', 'to', 'grouping', 'group', ...COLUMNS.map(([name]) => name)];
  const lines = rowsOf(metrics).map(([kind, group, row]) => [metrics.from, metrics.to, kind, group, ...COLUMNS.map(([, value]) => (value(row) === null ? '' : String(value(row))))]);
  return `${[header, ...lines].map((line) => line.map(quote).join(',')).join('\r\n')}\r\n`;
}
