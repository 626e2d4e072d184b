#!/usr/bin/env node
// Runs the mocha suite (client/test/e2e/suite/*.e2e.ts) inside the real extension host of
// code-server, against the packaged .vsix installed with --install-extension — the extension
// as users get it. Two passes: a trusted workspace (every test not tagged @untrusted) and an
// untrusted one (the @untrusted tests).
//
// How: the workbench URL's `payload` names a test runner (extensionTestsPath, the bundled
// suite) and a tiny development extension next to it (VS Code only runs tests for one); the
// workbench calls window.codeAutomationExit(code) when run() settles — the same mechanism as
// VS Code's own browser integration tests.
//
// usage: node e2e/run-ext-tests.mjs [--results FILE] [--vsix FILE] [--timeout SEC] [--only trusted|untrusted]
//                                   [--files extension,graph]  (only suite files whose name contains one of these)
// prints `ext-tests: N passed, M failed`; exit = the extension host's code (0 ok, 1 failures),
// 2 on an infrastructure error or timeout. Logs and screenshots: artifacts/e2e/ext-<pass>/.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import {
  ROOT,
  InfraError,
  bundleSuite,
  copyWorkspace,
  elapsed,
  ensureVsix,
  errorMessage,
  keepArtifacts,
  launchChromium,
  log,
  makeRunDir,
  makeRunnerExtension,
  parseRunnerOptions,
  startCodeServer,
  summarizeAndExit,
  workbenchUrl,
  writeResults,
} from './lib.mjs';

const opt = parseRunnerOptions({
  timeout: { type: 'string', default: '240' },
  only: { type: 'string' },
  files: { type: 'string' },
});

/** Workbench start-up chatter forwarded with the test output; the full logs stay in the artifacts. */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore|Updating additional builtin|Creation of workbench contribution)/;

/** One code-server + Chromium session running the suite; resolves to {code, results}. */
async function runPass(name, vsix, trusted) {
  const runDir = makeRunDir(`ext-${name}`);
  const ws = copyWorkspace(runDir);
  const resultsFile = path.join(runDir, 'results.json');
  const suite = await bundleSuite(path.join(runDir, 'suite'), {
    grep: '@untrusted',
    invert: trusted,
    only: opt.files?.split(','),
  });
  const devExt = makeRunnerExtension(runDir);

  const t0 = performance.now();
  let cs, browser;
  let code = 2;
  try {
    cs = await startCodeServer({
      runDir,
      vsix,
      trusted,
      env: { E2E_RESULTS_FILE: resultsFile, E2E_PASS: name, E2E_ARTIFACTS: runDir },
    });
    browser = await launchChromium(runDir);
    const { page } = browser;
    let finish;
    const finished = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (/^\s*$/.test(line) || WORKBENCH_NOISE.test(line)) return;
      (type === 'error' ? console.error : console.log)(`  ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (exitCode, logs) => {
      for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
        const f = path.join(runDir, 'workbench-logs', relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, contents);
      }
      finish(exitCode);
    });
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    const payload = [
      ['extensionDevelopmentPath', cs.remote(devExt)],
      ['extensionTestsPath', cs.remote(suite.dir)],
      ['skipWelcome', 'true'],
    ];
    log(`${name}: ${suite.files.length} suite files, workspace ${ws}`);
    await page.goto(workbenchUrl(cs, ws, payload));
    const timeoutMs = Number(opt.timeout) * 1000;
    let timer;
    const outcome = await Promise.race([
      finished,
      new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs))),
    ]);
    clearTimeout(timer);
    await page
      .screenshot({ path: path.join(runDir, outcome === 'timeout' ? 'timeout.png' : 'final.png') })
      .catch(() => undefined);
    if (outcome === 'timeout') throw new InfraError(`${name}: the suite did not finish in ${opt.timeout} s`);
    code = outcome;
  } catch (err) {
    console.error(`[e2e] ${name}: ${errorMessage(err)}`);
    code = 2;
  } finally {
    await browser?.context.close().catch(() => undefined);
    await cs?.stop();
  }
  let results = null;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    /* no results: the suite never ran (infra) */
  }
  const dest = keepArtifacts(runDir, `ext-${name}`);
  log(`${name}: exit ${code} in ${elapsed(t0)} ms; artifacts ${path.relative(ROOT, dest)}`);
  return { code, results };
}

const total = { passed: 0, failed: 0, skipped: 0, failures: [], metrics: {} };
let exit = 0;
try {
  const vsix = ensureVsix(opt.vsix);
  const passes = [
    ['trusted', true],
    ['untrusted', false],
  ].filter(([n]) => !opt.only || opt.only === n);
  for (const [name, trusted] of passes) {
    const { code, results } = await runPass(name, vsix, trusted);
    if (results) {
      total.passed += results.passed;
      total.failed += results.failed;
      total.skipped += results.skipped;
      total.failures.push(...results.failures.map((f) => `${name}: ${f}`));
      Object.assign(total.metrics, results.metrics ?? {});
    } else {
      total.failed += 1;
      total.failures.push(`${name}: the suite did not report results (exit ${code})`);
    }
    if (code === 2 || !results) exit = 2;
    else if (code !== 0 && exit === 0) exit = 1;
  }
} catch (err) {
  console.error(`[e2e] ${errorMessage(err)}`);
  total.failed += 1;
  total.failures.push(`infrastructure: ${errorMessage(err)}`);
  exit = 2;
}
writeResults(opt.results, total);
for (const [k, v] of Object.entries(total.metrics)) log(`metric ${k}: ${v}`);
for (const f of total.failures) log(`FAILED ${f}`);
summarizeAndExit('ext-tests', total, exit);
