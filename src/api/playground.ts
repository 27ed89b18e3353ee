import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PLAYGROUND_EXAMPLES } from './playground-examples.ts';

const require = createRequire(import.meta.url);

/** GraphiQL's prebuilt bundle and React's UMD builds, served from node_modules: nothing from a CDN. */
const ASSET_FILES: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript; charset=utf-8' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

/** Package files outside the packages' export maps are found next to their package.json. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** Loads the playground's files once; they are immutable for the life of the process. */
export function loadPlaygroundAssets(endpoint: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, { pkg, file, type }] of Object.entries(ASSET_FILES)) assets.set(name, { body: readFileSync(packageFile(pkg, file)), type });
  assets.set('playground.js', { body: Buffer.from(startScript(endpoint)), type: 'text/javascript; charset=utf-8' });
  return assets;
}

function startScript(endpoint: string): string {
  // Examples are passed as JSON data, never as markup.
  return `'use strict';
(function () {
  var examples = ${JSON.stringify(PLAYGROUND_EXAMPLES)};
  var fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
  var tabs = examples.map(function (example) {
    return { query: example.query, variables: example.variables ? JSON.stringify(example.variables, null, 2) : undefined };
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultEditorToolsVisibility: true,
      // The API key a person pasted into Headers stays in this browser across reloads.
      shouldPersistHeaders: true,
      isHeadersEditorEnabled: true,
    })
  );
})();
`;
}

export function playgroundHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Guideline policy API · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/playground/assets/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<script src="/playground/assets/react.js"></script>
<script src="/playground/assets/react-dom.js"></script>
<script src="/playground/assets/graphiql.js"></script>
<script src="/playground/assets/playground.js"></script>
</body>
</html>
`;
}

/** Only our own origin may run scripts or be fetched: the page works offline and behind strict firewalls. */
export const PLAYGROUND_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'";
