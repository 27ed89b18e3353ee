/**
 * `npm start`. graphql-js runs extra development checks on every value unless NODE_ENV is
 * "production" when it loads, so NODE_ENV defaults to production here; whether this is a
 * production deployment (playground off, no anonymous reading) is still decided by what the
 * operator set, read before the default is applied.
 */
process.env['GUIDELINE_API_MODE'] ??= process.env['NODE_ENV'] === 'production' ? 'production' : 'development';
process.env['NODE_ENV'] ??= 'production';
await import('./serve.ts');
