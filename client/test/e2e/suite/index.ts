/**
 * Test runner module loaded by the extension host (extensionTestsPath): runs the mocha suite
 * and writes `{passed, failed, skipped, failures, metrics}` to $E2E_RESULTS_FILE.
 * Used by e2e/run-ext-tests.mjs (code-server) and e2e/run-electron.mjs (@vscode/test-electron);
 * both bundle it with esbuild together with every *.e2e.ts file of this folder.
 */
import fs from 'node:fs';
import Mocha from 'mocha';
import { metrics } from './helpers';

export interface SuiteOptions {
  /** only tests whose full title matches (or, with invert, does not match) */
  grep: string | null;
  invert: boolean;
}

/** Sets up mocha's globals, loads the test files through `load`, runs them. Rejects on failure. */
export async function runSuite(load: () => Promise<void>, options: SuiteOptions): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  if (options.grep) {
    mocha.grep(options.grep);
    if (options.invert) mocha.invert();
  }
  // the bundled test modules call describe/it when they are imported: install the globals first
  mocha.suite.emit('pre-require', globalThis, 'e2e-bundle', mocha);
  await load();
  const failures: string[] = [];
  const counts = await new Promise<{ passed: number; failed: number; skipped: number }>((resolve) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolve({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0 });
    });
    runner.on('fail', (test, err: Error) =>
      failures.push(`${test.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`),
    );
  });
  const results = { ...counts, failures, metrics };
  console.log(`suite: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const [k, v] of Object.entries(metrics)) console.log(`metric ${k}: ${v}`);
  const file = process.env.E2E_RESULTS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
  if (counts.failed) throw new Error(`${counts.failed} test(s) failed`);
}
