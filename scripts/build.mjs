#!/usr/bin/env node
// One esbuild script for every bundle (ARCHITECTURE.md "Build"). Type-checking is separate
// (`npm run typecheck`). Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify') || process.env.ASL_MINIFY === '1';

/** [entry, outfile, platform] — every bundle the product ships. */
const bundles = [
  ['client/src/extension.ts', 'dist/client.js', 'node'],
  ['server/src/server.ts', 'dist/server.js', 'node'],
  ['runner/src/cli.ts', 'dist/cli.js', 'node'],
  ['runner/src/worker.ts', 'dist/runWorker.js', 'node'],
  ['client/src/graph/webview/main.ts', 'dist/webview.js', 'browser'],
  ['client/src/graph/webview/elkWorker.ts', 'dist/elkWorker.js', 'browser'],
];

const contexts = [];
for (const [entry, outfile, platform] of bundles) {
  if (!fs.existsSync(path.join(root, entry))) {
    console.warn(`build: skipping ${outfile} (${entry} does not exist yet)`);
    continue;
  }
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
    banner: outfile === 'dist/cli.js' ? { js: '#!/usr/bin/env node' } : undefined,
    define: { 'process.env.NODE_ENV': '"production"' },
    // @kubernetes/client-node is ESM with import.meta.url uses; harmless in CJS output
    logOverride: { 'empty-import-meta': 'silent' },
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
