// The frame of the Playwright UI runners (e2e/run-ui-*.mjs) on top of the code-server session
// of lib.mjs: checks and screenshots, the session's start and end, and what a runner does in
// the workbench (palette, Quick Open, quick picks, the graph webview).
import fs from 'node:fs';
import path from 'node:path';
import {
  copyWorkspace,
  elapsed,
  ensureVsix,
  errorMessage,
  keepArtifacts,
  launchChromium,
  log,
  makeRunDir,
  parseRunnerOptions,
  recordInfraFailure,
  ROOT,
  startCodeServer,
  summarizeAndExit,
  writeResults,
} from './lib.mjs';

/**
 * The results and the `shot` and `check` helpers of a Playwright UI runner. `page()` and
 * `runDir()` read the runner's current page and run dir; `docs` copies `{ docs: true }`
 * screenshots to docs/images/; `waitingDetail` adds the "waiting for …" line of a Playwright
 * error to a failure message.
 */
export function uiChecks({ page, runDir, docs, waitingDetail = false }) {
  const results = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const docsImages = path.join(ROOT, 'docs/images');
  /** Saves a screenshot in the run dir (→ artifacts) and, for the README, in docs/images/. */
  async function shot(name, { docs: forDocs = false, clip } = {}) {
    const file = path.join(runDir(), `${name}.png`);
    await page().screenshot({ path: file, clip });
    if (forDocs && docs) {
      fs.mkdirSync(docsImages, { recursive: true });
      fs.copyFileSync(file, path.join(docsImages, `${name}.png`));
    }
  }
  /** Runs one check; a failure is recorded (with a screenshot) and the next checks still run. */
  async function check(name, fn) {
    const t0 = performance.now();
    try {
      const detail = await fn();
      results.passed++;
      log(`ok   ${name} (${elapsed(t0)} ms)${detail ? ` — ${detail}` : ''}`);
    } catch (err) {
      results.failed++;
      const lines = errorMessage(err).split('\n');
      const msg = waitingDetail
        ? [lines[0], lines.find((l) => /waiting for/.test(l))?.trim()].filter(Boolean).join(' — ')
        : lines[0];
      results.failures.push(`${name}: ${msg}`);
      log(`FAIL ${name}: ${msg}`);
      await shot(`failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
      await page()
        .keyboard.press('Escape')
        .catch(() => undefined);
    }
  }
  return { results, shot, check };
}

/**
 * Starts one UI session into `session`: code-server with `vsix` installed (session.cs), Chromium
 * (session.browser) and its page (session.page) with a 30 s default timeout and page errors
 * logged. Filled step by step, so closeUiSession(session) also cleans up after a failed start.
 * `env` and `settings` go to startCodeServer (server environment, user settings).
 */
export async function startUiSession(session, runDir, vsix, { env, settings, trusted } = {}) {
  session.cs = await startCodeServer({ runDir, vsix, env, settings, trusted });
  session.browser = await launchChromium(runDir);
  const page = session.browser.page;
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  session.page = page;
  return session;
}

/**
 * Runs a UI runner's `body(session)` (which starts the session with startUiSession), closes the
 * session, keeps the artifacts of `runDir()` (if one was made) under artifacts/e2e/<artifacts>/,
 * writes the results file and exits with the summary line `<label>: …`: 0 when every check
 * passed, 1 when one failed, 2 on an infrastructure error.
 */
export async function runUiChecks({ label, artifacts, opt, results, runDir, body }) {
  const session = {};
  let exit = 0;
  try {
    await body(session);
    exit = results.failed ? 1 : 0;
  } catch (err) {
    exit = recordInfraFailure(results, err);
  } finally {
    await closeUiSession(session);
  }
  const dir = runDir();
  const dest = dir ? keepArtifacts(dir, artifacts) : undefined;
  writeResults(opt.results, results);
  if (dest) log(`artifacts ${path.relative(ROOT, dest)}`);
  summarizeAndExit(label, results, exit);
}

/**
 * The frame every workbench UI runner shares: its options (`--results`, `--vsix`,
 * `--no-docs-images`), its checks and screenshots, the workbench actions on its page, and
 * `run(prepare, body)`: a run dir, the .vsix, a copy of e2e/workspace that `prepare(ws)` adds
 * the runner's files to, a started session, then `body({ page, cs, ws })`; the artifacts are
 * kept under artifacts/e2e/<name>/ and the summary line `<label>: …` ends the process. `env` and
 * `settings`: the code-server environment and user settings of the session; `trusted: false`
 * opens the workspace in restricted mode; `options`: the runner's own command-line options
 * (parseArgs form); the body also gets the run dir, where code-server writes its logs.
 */
export function workbenchRunner({ name, label, waitingDetail = true, env, settings, trusted, options = {} }) {
  const opt = parseRunnerOptions({ 'no-docs-images': { type: 'boolean', default: false }, ...options });
  let page;
  let runDir;
  const { results, shot, check } = uiChecks({
    page: () => page,
    runDir: () => runDir,
    docs: !opt['no-docs-images'],
    waitingDetail,
  });
  const run = (prepare, body) =>
    runUiChecks({
      label,
      artifacts: name,
      opt,
      results,
      runDir: () => runDir,
      body: async (session) => {
        runDir = makeRunDir(name);
        const vsix = ensureVsix(opt.vsix);
        const ws = copyWorkspace(runDir);
        prepare(ws);
        ({ page } = await startUiSession(session, runDir, vsix, { env, settings, trusted }));
        await body({ page, cs: session.cs, ws, runDir });
      },
    });
  return { opt, results, shot, check, run, ...workbenchActions(() => page) };
}

/** Closes what startUiSession opened (either part may be missing). */
async function closeUiSession({ cs, browser } = {}) {
  await browser?.context.close().catch(() => undefined);
  await cs?.stop();
}

/**
 * What the UI runners do in the workbench, on the page `page()` returns: the graph webview's
 * document, a command from the palette, Quick Open of a workspace file, a quick pick row.
 */
export function workbenchActions(page) {
  const actions = {
    /** The graph webview's document (VS Code nests the page in two iframes). */
    graphFrame: () => page().frameLocator('iframe.webview.ready').frameLocator('#active-frame'),
    /** Runs a command from the palette (`Category: Title`). */
    async palette(command) {
      const p = page();
      await p.keyboard.press('F1');
      const input = p.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${command}`);
      await p
        .locator('.quick-input-list .monaco-list-row', { hasText: command.replace(/^.*: /, '') })
        .first()
        .click();
    },
    /** Opens a workspace file with Quick Open and waits for a line of its text. */
    async quickOpen(name, text, row = path.basename(name)) {
      const p = page();
      await p.keyboard.press('Control+P');
      const input = p.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(name);
      await p.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().click();
      await p.locator('.editor-instance .monaco-editor .view-line', { hasText: text }).first().waitFor();
    },
    /** Clicks a quick pick row. */
    async pick(text) {
      const row = page().locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
      await row.waitFor();
      await row.click();
    },
    /** A row of the Test Explorer's tree. */
    testRow: (text) => page().locator('.test-explorer .monaco-list-row', { hasText: text }).first(),
    /**
     * Opens the workspace test file `name` and the Testing view, expands the file's row and
     * waits for the rows of `cases`.
     */
    async showTestCases(name, cases) {
      const p = page();
      await p
        .locator('.explorer-folders-view .monaco-list-row', { hasText: path.dirname(name) })
        .first()
        .waitFor();
      await actions.quickOpen(name, 'cases:');
      // the Testing view's button in the activity bar (the beaker)
      await p.locator('.activitybar .action-label[aria-label^="Testing"]').first().click();
      const file = actions.testRow(path.basename(name));
      await file.waitFor({ timeout: 60_000 });
      if ((await file.getAttribute('aria-expanded')) === 'false') await file.click();
      for (const c of cases) await actions.testRow(c).waitFor();
    },
  };
  return actions;
}
