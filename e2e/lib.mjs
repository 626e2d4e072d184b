// Shared helpers of the end-to-end harness: paths, the packaged .vsix, code-server (the real
// VS Code 1.100 server + web workbench + Node extension host) and Debian's Chromium driven by
// playwright-core. Nothing here downloads anything. See e2e/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { waitFor } from '../scripts/test-helpers/wait.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const E2E_HOME = process.env.ASL_E2E_HOME || path.join(ROOT, '.e2e');
export const CODE_SERVER = process.env.CODE_SERVER || path.join(E2E_HOME, 'code-server/node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'artifacts/e2e');
export const EXTENSION_ID = 'asl-workbench.asl-workbench';

/** An infrastructure problem (exit code 2), as opposed to a failing test (exit code 1). */
export class InfraError extends Error {}

export const elapsed = (t0) => Math.round(performance.now() - t0);
export const log = (msg) => console.log(`[e2e] ${msg}`);

/** A fresh directory for one run, under .e2e/run (node_modules of the repo resolve from there). */
export function makeRunDir(prefix) {
  fs.mkdirSync(path.join(E2E_HOME, 'run'), { recursive: true });
  return fs.mkdtempSync(path.join(E2E_HOME, 'run', `${prefix}-`));
}

/** Copies e2e/workspace into the run dir (tests may edit it) and returns its path. */
export function copyWorkspace(runDir) {
  const ws = path.join(runDir, 'workspace');
  fs.cpSync(path.join(ROOT, 'e2e/workspace'), ws, { recursive: true });
  return ws;
}

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p))
    if (e !== 'node_modules' && e !== 'test') m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/**
 * The packaged extension: `--vsix` if given, else <name>-<version>.vsix at the root, rebuilt
 * with scripts/package.mjs when missing or older than any shipped source.
 */
export function ensureVsix(explicit) {
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new InfraError(`no such .vsix: ${explicit}`);
    return path.resolve(explicit);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const sources = [
    'package.json',
    'client/src',
    'server/src',
    'asl/src',
    'runner/src',
    'schemas',
    'snippets',
    'syntaxes',
    'media',
    'language-configuration.json',
    'language-configuration-yaml.json',
    '.vscodeignore',
    'scripts/build.mjs',
  ];
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
  if (fs.existsSync(vsix) && fs.statSync(vsix).mtimeMs >= newest) return vsix;
  log(`packaging ${path.basename(vsix)} (missing or older than its sources)`);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--out', vsix], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new InfraError(`scripts/package.mjs failed (exit ${r.status})`);
  return vsix;
}

/** The suite that runs first (see bundleSuite). */
const FIRST_SUITE = 'extension.e2e.ts';

/**
 * Bundles the mocha suite (client/test/e2e/suite/*.e2e.ts, run by suite/index.ts) into
 * `<outDir>/index.js` with esbuild; `vscode` and `mocha` stay external (the extension host
 * provides vscode; mocha resolves from the repository's node_modules).
 */
export async function bundleSuite(outDir, { grep, invert = false, only } = {}) {
  const suiteDir = path.join(ROOT, 'client/test/e2e/suite');
  const files = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.e2e.ts') && (!only?.length || only.some((o) => f.includes(o))))
    // extension.e2e.ts first: it checks that nothing activated the extension before the first
    // ASL document opens, which any earlier suite would do
    .sort((a, b) => Number(b === FIRST_SUITE) - Number(a === FIRST_SUITE) || a.localeCompare(b));
  const entry = path.join(outDir, 'entry.ts');
  fs.mkdirSync(outDir, { recursive: true });
  const imports = files.map((f) => `    await import(${JSON.stringify(path.join(suiteDir, f))});`).join('\n');
  fs.writeFileSync(
    entry,
    [
      `import { runSuite } from ${JSON.stringify(path.join(suiteDir, 'index.ts'))};`,
      `export function run(): Promise<void> {`,
      `  return runSuite(async () => {`,
      imports,
      `  }, ${JSON.stringify({ grep: grep ?? null, invert })});`,
      `}`,
    ].join('\n'),
  );
  await esbuild.build({
    entryPoints: [entry],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    // as scripts/build.mjs: jsonc-parser's UMD build (its `main`) requires files esbuild cannot see
    mainFields: ['module', 'main'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return { dir: outDir, files };
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

/**
 * Fresh user-data and extensions dirs in `runDir`, with quiet user settings. `trusted: false`
 * turns workspace trust on without the startup prompt, so an opened folder is restricted.
 */
export function prepareProfile(runDir, { trusted = true, settings = {} } = {}) {
  const userData = path.join(runDir, 'user-data');
  const extensions = path.join(runDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  const trust = trusted
    ? { 'security.workspace.trust.enabled': false }
    : {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
      };
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...trust, ...settings }, null, 2),
  );
  return { userData, extensions };
}

/** The development extension VS Code requires next to extensionTestsPath; it contributes nothing. */
export function makeRunnerExtension(runDir) {
  const dir = path.join(runDir, 'dev-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'asl-workbench-e2e-runner',
      publisher: 'e2e',
      version: '0.0.0',
      engines: { vscode: '^1.100.0' },
    }),
  );
  return dir;
}

function runTool(cmd, args, env) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0)
    throw new InfraError(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Starts code-server with fresh user-data and extensions dirs inside `runDir`, installs `vsix`
 * the way a user does (--install-extension), and resolves once /healthz answers.
 * `trusted: false` turns workspace trust on, so the opened folder is in restricted mode.
 */
export async function startCodeServer({ runDir, vsix, env = {}, trusted = true, settings = {} }) {
  if (!fs.existsSync(CODE_SERVER))
    throw new InfraError(`code-server not installed: run bash e2e/install-vscode.sh (looked for ${CODE_SERVER})`);
  const { userData, extensions } = prepareProfile(runDir, { trusted, settings });
  const childEnv = {
    ...process.env,
    // code-server writes config.yaml and a device id under XDG dirs: keep them in the run dir
    XDG_CONFIG_HOME: path.join(runDir, 'xdg/config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg/data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg/cache'),
    EXTENSIONS_GALLERY: '{}', // no marketplace: offline, and no ENOTFOUND noise in the log
    ...env,
  };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (vsix) {
    const t0 = performance.now();
    runTool(CODE_SERVER, [...common, '--install-extension', vsix], childEnv);
    log(`installed ${path.basename(vsix)} in ${elapsed(t0)} ms`);
  }
  const port = await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trusted ? ['--disable-workspace-trust'] : []),
  ];
  const t0 = performance.now();
  // own process group, so stop() also ends the extension host and the language server
  const proc = spawn(CODE_SERVER, args, { env: childEnv, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  // a code-server that does not come up is a problem of the machine, not a failing test
  const up = await waitFor(
    async () => (proc.exitCode !== null ? 'exited' : (await fetch(`${url}/healthz`)).ok && 'healthy'),
    { deadlineMs: 60_000, intervalMs: 100, message: 'code-server /healthz' },
  ).catch((err) => {
    throw new InfraError(err.message);
  });
  if (up === 'exited') throw new InfraError(`code-server exited with ${proc.exitCode}; see ${logFile}`);
  log(`code-server ${url} ready in ${elapsed(t0)} ms`);
  return {
    url,
    port,
    logFile,
    proc,
    /** vscode-remote URI of a path on the server machine (for the workbench payload). */
    remote: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const t = setTimeout(() => {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Launches Debian's Chromium (headless, fresh profile and XDG dirs inside runDir). */
export async function launchChromium(runDir, { viewport = { width: 1400, height: 860 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new InfraError(`no Chromium at ${CHROMIUM}: run bash e2e/install-vscode.sh`);
  const profile = fs.mkdtempSync(path.join(runDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    // crashpad writes under XDG_CONFIG_HOME whatever the profile dir is
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(runDir, 'xdg/chromium-config'),
      XDG_CACHE_HOME: path.join(runDir, 'xdg/chromium-cache'),
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Workbench URL that opens `folder`, optionally with a test payload (extension tests). */
export function workbenchUrl(cs, folder, payload) {
  let url = `${cs.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Copies the run's logs and screenshots into artifacts/e2e/<name>/. */
export function keepArtifacts(runDir, name) {
  const dest = path.join(ARTIFACTS, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  for (const e of fs.readdirSync(runDir, { withFileTypes: true })) {
    if (e.isFile() && /\.(log|png|json)$/.test(e.name))
      fs.copyFileSync(path.join(runDir, e.name), path.join(dest, e.name));
    if (e.isDirectory() && e.name === 'workbench-logs')
      fs.cpSync(path.join(runDir, e.name), path.join(dest, e.name), { recursive: true });
  }
  // the extension host / language server logs live in the user-data dir
  const logs = path.join(runDir, 'user-data/logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dest, 'vscode-logs'), { recursive: true });
  return dest;
}

/** Writes the results file the project test runner reads. */
export function writeResults(file, r) {
  if (!file) return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(r, null, 2));
}

/** The runners' command line: --results FILE and --vsix FILE, plus the runner's own `extra` options. */
export function parseRunnerOptions(extra = {}) {
  return parseArgs({ options: { results: { type: 'string' }, vsix: { type: 'string' }, ...extra } }).values;
}

/** The message of a thrown value. */
export const errorMessage = (err) => (err instanceof Error ? err.message : String(err));

/** Prints the summary line `<label>: N passed, M failed[, K skipped]` and exits with `exit`. */
export function summarizeAndExit(label, r, exit) {
  console.log(`${label}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(exit);
}

/** Logs an infrastructure error, records it in `results` and returns exit code 2. */
export function recordInfraFailure(results, err) {
  const msg = errorMessage(err);
  log(`infrastructure error: ${msg}`);
  results.failed++;
  results.failures.push(`infrastructure: ${msg.split('\n')[0]}`);
  return 2;
}
