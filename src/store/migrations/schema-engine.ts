/**
 * Offline Prisma migrations on top of Prisma's own schema engine compiled to wasm
 * (`@prisma/schema-engine-wasm`, the build matching prisma 7.10.0), driven through driver adapters.
 *
 * - loadSchemaEngine(provider, adapterFactory)          instantiate the engine, real driver errors
 * - diffMigrationsToSchema({ provider, migrationsDir, schemaFiles })
 *                                                       ≈ prisma migrate diff --from-migrations --to-schema --script
 * - hasDrift(...)                                       ≈ the same with --exit-code (true = exit code 2)
 * - createMigrationFiles({ ..., name })                 ≈ prisma migrate dev --create-only (no main DB involved)
 * - applyMigrations({ provider, migrationsDir, adapterFactory })
 *                                                       ≈ prisma migrate deploy (writes _prisma_migrations)
 *
 * SQLite needs nothing: the shadow database is in memory. PostgreSQL needs a server on which the
 * connecting role may CREATE DATABASE: pass `pg` (connection settings or URL, parsed here) and a
 * temporary shadow database `prisma_shadow_<uuid>` is created and dropped per call.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Node's global WebAssembly, typed just as far as we use it (the project's lib has no DOM types). */
const wasmRuntime = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: Record<string, unknown> } }> };
}).WebAssembly;

import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type {
  MigrationList,
  SchemaContainer,
  SchemaEngine,
  SchemaFilter,
} from '@prisma/schema-engine-wasm/schema_engine_bg';
import type pg from 'pg';

export type Provider = 'sqlite' | 'postgresql';
export type { MigrationList, SchemaContainer, SchemaEngine, SchemaFilter };

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** An engine error with the real driver error (if any) resolved from the adapter's error registry. */
export class SchemaEngineError extends Error {
  override name = 'SchemaEngineError';
  /** Prisma error code (P1001, P3006, ...) when the engine gave one. */
  readonly code?: string;
  /** The engine's raw error (object or string). */
  readonly engineError: unknown;
  constructor(message: string, engineError: unknown, cause?: unknown, code?: string) {
    super(message, cause === undefined ? undefined : { cause });
    this.engineError = engineError;
    this.code = code;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Replace every "External error id#N" by the driver error kept in the adapter's registry. */
function resolveEngineError(err: unknown, factory: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): SchemaEngineError {
  const raw = err as { message?: unknown; code?: unknown; error_code?: unknown };
  const code = [raw?.code, raw?.error_code].find((c): c is string => typeof c === 'string' && /^P\d{4}$/.test(c));
  let message = typeof raw?.message === 'string' ? raw.message : describe(err);
  message = message.replace(/\n\s+0: [\s\S]*$/, ""); // drop the Rust span trace
  let cause: unknown;
  message = message.replace(/External error id#(\d+)/g, (whole, id: string) => {
    const record = factory.errorRegistry.consumeError(Number(id));
    if (!record) return whole;
    cause ??= record.error;
    return `Driver error: ${describe(record.error)}`;
  });
  return new SchemaEngineError(code && !message.includes(code) ? `${code}: ${message}` : message, err, cause ?? (err instanceof Error ? err : undefined), code);
}

// ---------------------------------------------------------------------------------------------
// Loading the wasm engine
// ---------------------------------------------------------------------------------------------

type BgModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let wasmReady: Promise<BgModule> | undefined;

// The engine arms timers (e.g. the 10 s PostgreSQL advisory-lock timeout) and never clears them:
// they would keep Node alive ~10 s after the work is done. Timers are tracked and unref'd as soon
// as no engine call is in flight.
const engineTimers = new Set<NodeJS.Timeout>();
let inFlight = 0;
function engineSetTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(() => {
    engineTimers.delete(t);
    fn();
  }, ms >>> 0);
  if (inFlight === 0) t.unref();
  else engineTimers.add(t);
  return t;
}
function callSettled(): void {
  if (--inFlight === 0) {
    for (const t of engineTimers) t.unref();
    engineTimers.clear();
  }
}

/** Instantiate the wasm-bindgen *bundler* build once per process (bg.js holds a module-level instance). */
function initWasm(): Promise<BgModule> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgJsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg: BgModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(bgJsPath), 'schema_engine_bg.wasm'));
    const imports: Record<string, unknown> = { ...(bg as unknown as Record<string, unknown>) };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
    }
    const { instance } = await wasmRuntime.instantiate(bytes, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  wasmReady.catch(() => (wasmReady = undefined));
  return wasmReady;
}

export interface LoadSchemaEngineOptions {
  /** Initial datamodels as [path, content]; defaults to a bare datasource block for `provider`. */
  datamodels?: [string, string][];
  /** Receives the engine's JSON log lines. Default: print them when DEBUG_SCHEMA_ENGINE is set. */
  log?: (line: string) => void;
}

export interface SchemaEngineHandle {
  /** The engine; every method rejects with a SchemaEngineError carrying the real driver error. */
  readonly engine: SchemaEngine;
  readonly provider: Provider;
  /** Frees the wasm engine and disposes every adapter it left open (idempotent). */
  dispose(): Promise<void>;
}

const ADAPTER_PROVIDER: Record<Provider, string> = { sqlite: 'sqlite', postgresql: 'postgres' };

export async function loadSchemaEngine(
  provider: Provider,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: LoadSchemaEngineOptions = {},
): Promise<SchemaEngineHandle> {
  if (adapterFactory.provider !== ADAPTER_PROVIDER[provider]) {
    throw new Error(`adapter provider "${adapterFactory.provider}" does not match "${provider}"`);
  }
  const bg = await initWasm();
  // Track every adapter the engine opens: it does not always dispose them (a pg pool left open
  // keeps the process alive for idleTimeoutMillis).
  const open = new Set<SqlDriverAdapter>();
  const track = async (make: () => Promise<SqlDriverAdapter>, kind: string) => {
    const adapter = await make();
    const dispose = adapter.dispose.bind(adapter);
    let done = false;
    adapter.dispose = async () => {
      if (done) return;
      done = true;
      open.delete(adapter);
      trace(`dispose ${kind} adapter`);
      await dispose();
    };
    open.add(adapter);
    trace(`open ${kind} adapter`);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(() => adapterFactory.connect(), 'main'),
    connectToShadowDb: () => track(() => adapterFactory.connectToShadowDb(), 'shadow'),
  };
  const bound = bindMigrationAwareSqlAdapterFactory(tracked);
  const datamodels = options.datamodels ?? [['schema.prisma', datasourceBlock(provider)]];
  const log = options.log ?? (process.env.DEBUG_SCHEMA_ENGINE ? (l: string) => console.error('[schema-engine]', l) : () => {});
  let raw: SchemaEngine;
  try {
    raw = await bg.SchemaEngine.new({ datamodels }, log, bound);
  } catch (err) {
    throw resolveEngineError(err, bound);
  }
  // Proxy: turn "External error id#N" into the real driver error on every async method.
  const engine = new Proxy(raw, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'free' || prop === 'constructor') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        inFlight++;
        try {
          const out = value.apply(target, args);
          if (!(out instanceof Promise)) {
            callSettled();
            return out;
          }
          return out.then(
            (v: unknown) => (callSettled(), v),
            (err: unknown) => (callSettled(), Promise.reject(resolveEngineError(err, bound))),
          );
        } catch (err) {
          callSettled();
          throw resolveEngineError(err, bound);
        }
      };
    },
  });
  let freed = false;
  return {
    engine,
    provider,
    async dispose() {
      if (!freed) {
        freed = true;
        raw.free();
      }
      for (const a of [...open]) await a.dispose();
    },
  };
}

const trace = (msg: string) => {
  if (process.env.DEBUG_SCHEMA_ENGINE) console.error('[schema-engine]', msg);
};

function datasourceBlock(provider: Provider): string {
  return `datasource db {\n  provider = "${provider}"\n}\n`;
}

// ---------------------------------------------------------------------------------------------
// Adapter factories for migrations
// ---------------------------------------------------------------------------------------------

/**
 * SQLite: shadow database in memory; main database `url` (default in memory too).
 * The engine runs each migration script through `executeRaw`, which better-sqlite3's `prepare`
 * rejects when it holds several statements (P3006 "more than one statement"): such calls are
 * retried through `executeScript` (better-sqlite3 `exec`).
 */
export async function sqliteMigrationFactory(url = ':memory:'): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const inner = new PrismaBetterSqlite3({ url }, { shadowDatabaseUrl: ':memory:' });
  const multiStatementSafe = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (e) {
        if (query.args.length === 0 && /more than one statement/.test(describe(e))) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        throw e;
      }
    };
    return adapter;
  };
  return {
    provider: 'sqlite',
    adapterName: inner.adapterName,
    connect: async () => multiStatementSafe(await inner.connect()),
    connectToShadowDb: async () => multiStatementSafe(await inner.connectToShadowDb()),
  };
}

/** Connection settings. A URL is parsed into fields: @prisma/adapter-pg must never get a URL here. */
export type PgConnection = string | pg.ClientConfig;

/** postgres[ql]://user:pass@host:port/db?host=/socket/dir  → pg ClientConfig (no sslmode handling). */
export function parsePgUrl(url: string): pg.ClientConfig {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error(`not a PostgreSQL URL: ${u.protocol}`);
  const cfg: pg.ClientConfig = {
    host: u.searchParams.get('host') ?? (u.hostname ? decodeURIComponent(u.hostname) : undefined),
    port: u.port ? Number(u.port) : undefined,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
  };
  if (u.searchParams.get('sslmode') && u.searchParams.get('sslmode') !== 'disable') {
    throw new Error('parsePgUrl: sslmode is not handled, pass pg.ClientConfig with `ssl` instead');
  }
  return Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined)) as pg.ClientConfig;
}

/** Any `connectionString` is replaced by its parsed fields (pg lets the URL win over `database`). */
export function normalizePgConnection(connection: PgConnection): pg.ClientConfig {
  if (typeof connection === 'string') return parsePgUrl(connection);
  const { connectionString, ...rest } = connection;
  return connectionString ? { ...rest, ...parsePgUrl(connectionString) } : rest;
}

/**
 * A PostgreSQL migration factory that works around @prisma/adapter-pg 7.10.0:
 *  - columns of PostgreSQL's internal `"char"` type (OID 18, read by the schema describer) make
 *    the adapter throw UnsupportedNativeDataType: a pg.Client subclass reports them as text (OID 25);
 *  - its own connectToShadowDb drops the shadow DB before closing the pool, leaks it and, given a URL,
 *    connects to the *main* database: here the shadow DB is created with an admin client, the pool is
 *    closed first, then the DB is dropped WITH (FORCE); `cleanup()` drops any leftover.
 */
export async function pgMigrationFactory(
  connection: PgConnection,
): Promise<SqlMigrationAwareDriverAdapterFactory & { cleanup(): Promise<void> }> {
  const { default: pgMod } = await import('pg');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const base = normalizePgConnection(connection);

  const fixFields = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const f of (r as pg.QueryResult | undefined)?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    }
    return res;
  };
  class CharSafeClient extends pgMod.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : fixFields(res));
        return (super.query as (...a: unknown[]) => unknown)(...args);
      }
      const out = (super.query as (...a: unknown[]) => unknown)(...args) as Promise<unknown> | undefined;
      return out && typeof out.then === 'function' ? out.then(fixFields) : out;
    }
  }
  const poolConfig = (database?: string): pg.PoolConfig => ({
    ...base,
    ...(database ? { database } : {}),
    Client: CharSafeClient as unknown as typeof pg.Client,
    max: 4,
  });
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pgMod.Client(base);
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const shadows = new Set<string>();
  const dropShadow = async (db: string) => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`));
    shadows.delete(db);
  };
  const main = new PrismaPg(poolConfig());
  // adapter-pg's executeScript splits scripts on every ";", which breaks function bodies
  // ($$ … ; … $$). PostgreSQL's simple-query protocol runs a whole script as sent, so do that.
  const wholeScripts = (adapter: SqlDriverAdapter, database?: string): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      const c = new pgMod.Client({ ...base, ...(database ? { database } : {}) });
      await c.connect();
      try {
        await c.query(script);
      } finally {
        await c.end();
      }
    };
    return adapter;
  };

  return {
    provider: 'postgres',
    adapterName: main.adapterName,
    connect: async () => wholeScripts(await main.connect()),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const db = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      await admin((c) => c.query(`CREATE DATABASE "${db}"`));
      shadows.add(db);
      const adapter = wholeScripts(await new PrismaPg(poolConfig(db)).connect(), db);
      const close = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await close(); // ends the shadow pool first
        await dropShadow(db);
      };
      return adapter;
    },
    async cleanup() {
      for (const db of [...shadows]) await dropShadow(db);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading schema files and migrations
// ---------------------------------------------------------------------------------------------

/** Files or folders (searched recursively for *.prisma, following symlinks) → schema containers. */
export async function readSchemaFiles(paths: string[]): Promise<SchemaContainer[]> {
  const out: SchemaContainer[] = [];
  const visit = async (p: string): Promise<void> => {
    const s = await stat(p); // follows symlinks
    if (s.isDirectory()) {
      for (const e of (await readdir(p)).sort()) {
        if (e === 'node_modules' || e === 'migrations') continue;
        const child = path.join(p, e);
        const cs = await stat(child);
        if (cs.isDirectory() || e.endsWith('.prisma')) await visit(child);
      }
    } else {
      out.push({ path: path.resolve(p), content: await readFile(p, 'utf8') });
    }
  };
  for (const p of paths) await visit(p);
  if (out.length === 0) throw new Error(`no .prisma files in ${paths.join(', ')}`);
  return out;
}

/** The committed migrations folder in the shape the engine expects (missing folder = no migrations). */
export async function readMigrationsList(migrationsDir: string, provider?: Provider, shadowDbInitScript = ''): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  // The engine takes the connector from the lockfile; before the first migration there is none.
  const lockContent = existsSync(lockPath) ? await readFile(lockPath, 'utf8') : provider ? lockfileContent(provider) : null;
  const list: MigrationList = {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript,
    migrationDirectories: [],
  };
  if (!existsSync(baseDir)) return list;
  for (const entry of (await readdir(baseDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const file = path.join(baseDir, entry.name, 'migration.sql');
    let content: MigrationList['migrationDirectories'][number]['migrationFile']['content'];
    try {
      content = { tag: 'ok', value: await readFile(file, 'utf8') };
    } catch (e) {
      content = { tag: 'error', value: describe(e) };
    }
    list.migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// High-level operations
// ---------------------------------------------------------------------------------------------

export interface MigrationTarget {
  provider: Provider;
  /** e.g. prisma/sqlite/migrations */
  migrationsDir: string;
  /** Files and/or folders: the provider's datasource file + the shared models. */
  schemaFiles: string[];
  /** PostgreSQL only (required there): server used for the temporary shadow database. */
  pg?: PgConnection;
  /** Override the adapter factory entirely (then `pg` is ignored). */
  adapterFactory?: SqlMigrationAwareDriverAdapterFactory;
  /** prisma.config.ts `tables.external` / `enums.external`. */
  filters?: Partial<SchemaFilter>;
}

async function withEngine<T>(target: MigrationTarget, fn: (h: SchemaEngineHandle) => Promise<T>): Promise<T> {
  let factory = target.adapterFactory;
  let cleanup: (() => Promise<void>) | undefined;
  if (!factory) {
    if (target.provider === 'sqlite') factory = await sqliteMigrationFactory();
    else {
      const conn = target.pg ?? process.env.MIGRATE_PG_URL;
      if (!conn) throw new Error('PostgreSQL migrations need `pg` connection settings (or MIGRATE_PG_URL) for the shadow database');
      const f = await pgMigrationFactory(conn);
      factory = f;
      cleanup = () => f.cleanup();
    }
  }
  const handle = await loadSchemaEngine(target.provider, factory);
  try {
    return await fn(handle);
  } finally {
    await handle.dispose();
    await cleanup?.();
  }
}

const filtersOf = (t: MigrationTarget): SchemaFilter => ({
  externalTables: t.filters?.externalTables ?? [],
  externalEnums: t.filters?.externalEnums ?? [],
});

async function runDiff(target: MigrationTarget, exitCode: boolean): Promise<{ sql: string; exitCode: number }> {
  const [migrationsList, files] = await Promise.all([readMigrationsList(target.migrationsDir, target.provider), readSchemaFiles(target.schemaFiles)]);
  return withEngine(target, async ({ engine }) => {
    const res = await engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode,
      filters: filtersOf(target),
    });
    return { sql: res.stdout ?? '', exitCode: res.exitCode };
  });
}

/** SQL that brings the committed migrations up to the models ("-- This is an empty migration." when in sync). */
export async function diffMigrationsToSchema(target: MigrationTarget): Promise<string> {
  return (await runDiff(target, false)).sql;
}

/** True when the committed migrations do not produce the models' schema. */
export async function hasDrift(target: MigrationTarget): Promise<boolean> {
  const { exitCode } = await runDiff(target, true);
  if (exitCode !== 0 && exitCode !== 2) throw new Error(`unexpected diff exit code ${exitCode}`);
  return exitCode === 2;
}

/** True when a diff script has no executable statement. */
export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('--'));
}

export function migrationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS, UTC like Prisma
}

export function lockfileContent(provider: Provider): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

export interface CreateMigrationResult {
  /** Absolute path of the new migration folder, or null when nothing changed and !allowEmpty. */
  dir: string | null;
  sql: string;
}

/** Write <migrationsDir>/<timestamp>_<name>/migration.sql (+ migration_lock.toml if missing). */
export async function createMigrationFiles(
  target: MigrationTarget & { name: string; allowEmpty?: boolean; now?: Date },
): Promise<CreateMigrationResult> {
  const slug = target.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 200);
  if (!slug) throw new Error(`invalid migration name "${target.name}"`);
  const sql = await diffMigrationsToSchema(target);
  if (isEmptyMigration(sql) && !target.allowEmpty) return { dir: null, sql };
  const baseDir = path.resolve(target.migrationsDir);
  const dir = path.join(baseDir, `${migrationTimestamp(target.now)}_${slug}`);
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  const lock = path.join(baseDir, 'migration_lock.toml');
  if (!existsSync(lock)) await writeFile(lock, lockfileContent(target.provider));
  return { dir, sql };
}

/**
 * Apply unapplied migrations to a live database (≈ prisma migrate deploy), recording them in
 * `_prisma_migrations`. `adapterFactory` must point at the target database.
 */
export async function applyMigrations(opts: {
  provider: Provider;
  migrationsDir: string;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  filters?: Partial<SchemaFilter>;
}): Promise<string[]> {
  const migrationsList = await readMigrationsList(opts.migrationsDir, opts.provider);
  const handle = await loadSchemaEngine(opts.provider, opts.adapterFactory);
  try {
    const out = await handle.engine.applyMigrations({
      migrationsList,
      filters: { externalTables: opts.filters?.externalTables ?? [], externalEnums: opts.filters?.externalEnums ?? [] },
    });
    return out.appliedMigrationNames;
  } finally {
    await handle.dispose();
  }
}
