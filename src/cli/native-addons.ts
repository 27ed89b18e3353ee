/**
 * `npm ci` runs this after installing (and `npm run native:rebuild` on demand): it makes sure
 * better-sqlite3's native addon loads, and keeps running, on the Node.js that runs npm.
 *
 * Why it is needed:
 * - npm builds the addon from source here (its prebuilt download is unreachable) against the
 *   headers npm's `nodedir` names. A machine whose npm config points at another Node's headers
 *   (this one's points at Node 20's) builds an addon that fails to load (`ERR_DLOPEN_FAILED`), and
 *   `npm rebuild` repeats the mistake. The runtime's own headers are next to its binary: in an
 *   official install (`<prefix>/include/node`) or in the `node-<platform>-<arch>` package that
 *   the npm registry's `node@N` installs.
 * - From Node 24.19 the headers make `node::ObjectWrap` destructors remove an environment cleanup
 *   hook, and better-sqlite3 12 (the last line that runs on Node 20; 12.11.1 included, measured)
 *   then aborts the process when an idle garbage collection finalizes a statement (`Assertion
 *   failed: (env) != nullptr`, nodejs/node#65446). An addon built against 24.18.1's headers has the
 *   same ABI and runs on every 24.x, so on Node 24 those headers are installed from the npm
 *   registry (`node-<platform>-<arch>@24.18.1`) into a cache folder and used instead.
 * - Node 26 (and 20) use their own headers; better-sqlite3 12.11.1 is the first 12.x that compiles
 *   against Node 26's V8.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const WORKAROUND_HEADERS = '24.18.1';
const require = createRequire(import.meta.url);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const platformPackage = `node-${process.platform}-${process.arch}`;

function headersVersion(dir: string): string | null {
  const header = join(dir, 'include', 'node', 'node_version.h');
  if (!existsSync(header)) return null;
  const text = readFileSync(header, 'utf8');
  const part = (name: string): string | undefined => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

/** The folder holding this runtime's own headers, if it can be found. */
function ownHeaders(): string | null {
  const prefix = resolve(process.execPath, '..', '..');
  const candidates = [prefix, join(prefix, 'node_modules', platformPackage), join(prefix, '..', platformPackage)];
  return candidates.find((dir) => headersVersion(dir) === process.versions.node) ?? null;
}

/** 24.18.1's headers, installed once into a cache folder outside the repository. */
function workaroundHeaders(): string {
  const cache = join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'guideline-policy-api', `node-headers-${WORKAROUND_HEADERS}`);
  const dir = join(cache, 'node_modules', platformPackage);
  if (headersVersion(dir) !== WORKAROUND_HEADERS) {
    console.log(`native addons: installing Node ${WORKAROUND_HEADERS} headers into ${cache} (see src/cli/native-addons.ts for why)`);
    runNpm(['install', '--prefix', cache, `${platformPackage}@${WORKAROUND_HEADERS}`, '--no-audit', '--no-fund', '--no-save', '--ignore-scripts'], process.env);
  }
  return dir;
}

/** npm: the one running this install when there is one (npm sets npm_execpath to its CLI script), else the one on PATH. */
function runNpm(args: string[], env: NodeJS.ProcessEnv): void {
  const cli = process.env['npm_execpath'];
  if (cli && existsSync(cli)) execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit', env });
  else execFileSync('npm', args, { stdio: 'inherit', env });
}

/** Whether the addon loads and opens a database, in a child process (an abort must not end this one). */
function addonLoads(): boolean {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: resolve(dirname(require.resolve('better-sqlite3/package.json')), '..', '..'), stdio: 'pipe' });
  return probe.status === 0;
}

/** The headers the installed addon was compiled against, from node-gyp's record of the build. */
function builtAgainst(): string | null {
  const config = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'config.gypi');
  if (!existsSync(config)) return null;
  return /"nodedir": "([^"]*)"/.exec(readFileSync(config, 'utf8'))?.[1] ?? null;
}

const crashProneHeaders = major === 24 && minor >= 19;
const headers = crashProneHeaders ? workaroundHeaders() : ownHeaders();
// On Node 24 an addon that loads may still abort later: it must have been built against the workaround headers.
const needed = !addonLoads() || (crashProneHeaders && resolve(builtAgainst() ?? '') !== resolve(headers as string));
if (!needed) {
  if (process.argv.includes('--verbose')) console.log(`native addons: better-sqlite3 loads on Node ${process.versions.node} (built against ${builtAgainst() ?? 'unknown headers'})`);
} else {
  console.log(`native addons: rebuilding better-sqlite3 for Node ${process.versions.node}${headers ? ` against the headers in ${headers}` : ''} (about 90 s)`);
  // Without headers found here node-gyp downloads the runtime's own, as on any machine with internet access.
  const env = { ...process.env, ...(headers ? { npm_config_nodedir: headers } : {}) };
  runNpm(['rebuild', 'better-sqlite3', '--foreground-scripts'], env);
  if (!addonLoads()) {
    console.error(`native addons: better-sqlite3 still does not load on Node ${process.versions.node}; see src/cli/native-addons.ts`);
    process.exit(1);
  }
}
