#!/usr/bin/env node
// One esbuild script for every bundle (ARCHITECTURE.md "Build"). Type-checking is separate
// (`npm run typecheck`). Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lazyPackagesPlugin } from './build-lazy.mjs';
import { precompiledValidatorsPlugin } from './build-validators.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify') || process.env.ASL_MINIFY === '1';

/** [entry, outfile, platform] — every bundle the product ships. */
const bundles = [
  ['client/src/extension.ts', 'dist/client.js', 'node'],
  // dist/server.js is the small loader that starts dist/serverMain.js through V8's code cache
  ['server/src/server.ts', 'dist/serverMain.js', 'node'],
  ['server/src/boot.ts', 'dist/server.js', 'node'],
  ['cli/src/main.ts', 'dist/cli.js', 'node'],
  // the execution worker, and the test command for the Test Explorer (cli/src/extensionWorker.ts)
  ['cli/src/extensionWorker.ts', 'dist/runWorker.js', 'node'],
  ['runner/src/debug/main.ts', 'dist/debugAdapter.js', 'node'],
  ['client/src/graph/webview/main.ts', 'dist/webview.js', 'browser'],
  ['client/src/graph/webview/elkWorker.ts', 'dist/elkWorker.js', 'browser'],
];

const contexts = [];
// node bundles get the ajv validators precompiled at build time instead of compiling them at
// run time (server start-up); one plugin instance generates the code once
const validatorsPlugin = precompiledValidatorsPlugin(root);

/**
 * schemas/*.json as `JSON.parse("…")` instead of object literals: V8 scans a string far faster
 * than it parses and evaluates a 440 KB literal, and the server evaluates them at load time.
 */
const schemasAsJsonParse = {
  name: 'schemas-json-parse',
  setup(build) {
    build.onLoad({ filter: /[\\/]schemas[\\/][^\\/]+\.schema\.json$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      // re-serialized: validates the JSON at build time and drops the whitespace
      return {
        contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`,
        loader: 'js',
      };
    });
  },
};
/**
 * The language server loads yaml (YAML documents, YAML quick fixes) and jsonata (JSONata
 * expressions) on first use: a JSON machine without JSONata never loads either.
 */
const serverLazy = lazyPackagesPlugin(root, ['yaml', 'jsonata']);

// a bundle whose entry is missing would leave an old file in dist/: fail instead
const missing = bundles.filter(([entry]) => !fs.existsSync(path.join(root, entry)));
if (missing.length) {
  for (const [entry, outfile] of missing) console.error(`build: no ${entry} to build ${outfile} from`);
  process.exit(1);
}

for (const [entry, outfile, platform] of bundles) {
  const options = {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform,
    format: platform === 'node' ? 'cjs' : 'iife',
    target: platform === 'node' ? 'node20' : 'chrome120',
    external: platform === 'node' ? ['vscode'] : [],
    // jsonc-parser's UMD build (its `main`) requires files esbuild cannot see; prefer ESM entries
    mainFields: platform === 'node' ? ['module', 'main'] : ['browser', 'module', 'main'],
    sourcemap: minify ? false : 'linked',
    minify,
    logLevel: 'warning',
    banner:
      outfile === 'dist/cli.js'
        ? { js: '#!/usr/bin/env node' }
        : // when the extension host began loading the client (its start-up figures, extension.ts)
          outfile === 'dist/client.js'
          ? { js: 'var __aslClientLoadStart = performance.now();' }
          : undefined,
    define: { 'process.env.NODE_ENV': '"production"' },
    // @kubernetes/client-node is ESM with import.meta.url uses; harmless in CJS output
    logOverride: { 'empty-import-meta': 'silent' },
    plugins:
      platform !== 'node'
        ? []
        : outfile === 'dist/serverMain.js'
          ? [validatorsPlugin, schemasAsJsonParse, serverLazy]
          : [validatorsPlugin, schemasAsJsonParse],
  };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    contexts.push(ctx);
  } else {
    await esbuild.build(options);
  }
}
if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
if (watch) console.log('build: watching…');
else console.log(`build: ${bundles.length} bundles in dist/`);
