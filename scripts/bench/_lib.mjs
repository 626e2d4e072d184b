// Shared boilerplate of the benchmark scripts (a library: bench.mjs skips files starting with '_').
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The benchmark's command-line arguments. */
export const args = process.argv.slice(2);

/** Whether `--name` was given. */
export const flag = (name) => args.includes(name);

/** The value after `--name`, or undefined when the option is absent. */
export const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/**
 * Re-runs the calling script (its `import.meta.url`) under the tsx loader once, so it can import
 * TypeScript sources, and exits with the child's status. Returns only inside the tsx run.
 */
export function reexecUnderTsx(scriptUrl) {
  if (process.env.ASL_BENCH_TSX) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(scriptUrl), ...args], {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, ASL_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}

/** Imports a module by its path relative to the repository root. */
export const importFromRoot = (p) => import(pathToFileURL(path.join(ROOT, p)).href);

/** Bundles runner/src/api.ts with esbuild into `outfile` (CommonJS), as the shipped runner is built; throws when it fails. */
export function bundleRunnerApi(outfile) {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // mainFields as scripts/build.mjs has them: jsonc-parser's UMD `main` cannot be bundled
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `require('esbuild').buildSync({entryPoints:['runner/src/api.ts'],bundle:true,platform:'node',format:'cjs',target:'node20',mainFields:['module','main'],outfile:${JSON.stringify(outfile)},logLevel:'error'})`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('bundling runner/src/api.ts failed');
}

/** A Map over the input's `items` with one Pass state per item: the Map workload of the engine benchmarks. */
export function mapMachine() {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Item',
          States: { Item: { Type: 'Pass', Parameters: { 'v.$': '$.v', tag: 'x' }, End: true } },
        },
        ResultPath: '$.out',
        End: true,
      },
    },
  };
}

/** The median of numbers (the mean of the two middle ones for an even count); NaN when empty. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/**
 * amazon-states-language-service and vscode-languageserver-textdocument from their own prefix,
 * .bench/deps/asls (so installing them never prunes another benchmark's tools), installed
 * with npm on first use unless `install` is false. Returns `{ asls, TextDocument, version }`,
 * or `{ missing }` saying why they could not be loaded.
 */
export function loadAsls({ install = true } = {}) {
  const prefix = path.join(ROOT, '.bench/deps/asls');
  const require = createRequire(path.join(prefix, 'package.json'));
  const load = () => {
    const pkg = require.resolve('amazon-states-language-service/package.json');
    return {
      asls: require('amazon-states-language-service'),
      TextDocument: require('vscode-languageserver-textdocument').TextDocument,
      version: JSON.parse(fs.readFileSync(pkg, 'utf8')).version,
    };
  };
  try {
    return load();
  } catch (err) {
    if (!install) return { missing: `not installed (${String(err?.message ?? err).split('\n')[0]})` };
  }
  process.stderr.write('bench: installing amazon-states-language-service into .bench/deps/asls …\n');
  fs.mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      'amazon-states-language-service',
      'vscode-languageserver-textdocument',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  try {
    return load();
  } catch (err) {
    return { missing: `npm install failed (exit ${r.status}): ${String(err?.message ?? err).split('\n')[0]}` };
  }
}
