#!/usr/bin/env node
// The same mocha suite as e2e/run-ext-tests.mjs, in desktop VS Code through
// @vscode/test-electron — for machines that can download VS Code (this project's CI machine
// cannot: update.code.visualstudio.com is unreachable, so CI uses the code-server harness).
//
// usage: node e2e/run-electron.mjs [--results FILE] [--vsix FILE] [--vscode VERSION|PATH]
//   --vscode: a version to download (default 1.100.3, matching engines.vscode) or the path of
//   an installed VS Code executable. Under Linux without a display, run it inside xvfb-run.
// prints `ext-tests(electron): N passed, M failed`; exit 0 / 1, 2 on infrastructure errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import {
  bundleSuite,
  copyWorkspace,
  ensureVsix,
  errorMessage,
  log,
  makeRunDir,
  makeRunnerExtension,
  parseRunnerOptions,
  prepareProfile,
  recordInfraFailure,
  summarizeAndExit,
  writeResults,
} from './lib.mjs';

const opt = parseRunnerOptions({ vscode: { type: 'string', default: '1.100.3' } });

const total = { passed: 0, failed: 0, skipped: 0, failures: [], metrics: {} };
let exit = 0;
try {
  const vsix = ensureVsix(opt.vsix);
  const executable = fs.existsSync(opt.vscode) ? path.resolve(opt.vscode) : await downloadAndUnzipVSCode(opt.vscode);
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
  for (const [name, trusted] of [
    ['trusted', true],
    ['untrusted', false],
  ]) {
    const runDir = makeRunDir(`electron-${name}`);
    const ws = copyWorkspace(runDir);
    const { userData, extensions } = prepareProfile(runDir, { trusted });
    const profile = ['--user-data-dir', userData, '--extensions-dir', extensions];
    // install the packaged extension exactly as a user does
    const inst = spawnSync(cli, [...cliArgs, ...profile, '--install-extension', vsix], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (inst.status !== 0) throw new Error(`--install-extension failed: ${inst.stderr || inst.stdout}`);
    const suite = await bundleSuite(path.join(runDir, 'suite'), { grep: '@untrusted', invert: trusted });
    const resultsFile = path.join(runDir, 'results.json');
    let code = 0;
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: makeRunnerExtension(runDir),
        extensionTestsPath: suite.dir,
        extensionTestsEnv: { E2E_RESULTS_FILE: resultsFile, E2E_PASS: name },
        launchArgs: [
          ws,
          ...profile,
          '--skip-welcome',
          '--skip-release-notes',
          ...(trusted ? ['--disable-workspace-trust'] : []),
        ],
      });
    } catch (err) {
      code = 1;
      log(`${name}: ${errorMessage(err)}`);
    }
    const r = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : null;
    if (!r) throw new Error(`${name}: the suite wrote no results`);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    total.failures.push(...r.failures.map((f) => `${name}: ${f}`));
    Object.assign(total.metrics, r.metrics);
    if (code && !exit) exit = 1;
  }
} catch (err) {
  exit = recordInfraFailure(total, err);
}
writeResults(opt.results, total);
for (const [k, v] of Object.entries(total.metrics)) log(`metric ${k}: ${v}`);
summarizeAndExit('ext-tests(electron)', total, exit);
