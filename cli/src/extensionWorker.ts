/**
 * dist/runWorker.js, the one runner process the VS Code extension forks: a local execution
 * (runner/src/worker.ts, over IPC) or, when its first argument is `test`, the CLI's `test`
 * command for the Test Explorer, whose reports the extension reads from `--json` and
 * `--coverage-json`. One bundle for both keeps a second copy of the runner out of the .vsix,
 * which leaves the whole CLI out for its size.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { main as test } from './test';
import { serveTestWorker, TEST_WORKER_FLAG } from './testSuite';

/** The first argument that selects the test command. */
export const TEST_COMMAND = 'test';

// the test command's pool starts its worker threads from this same entry file
if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[TEST_WORKER_FLAG]) serveTestWorker();
else if (process.argv[2] === TEST_COMMAND)
  test(process.argv.slice(3)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`asl-workbench test: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
// evaluated only here: the execution worker starts listening for its parent when it loads
else void import('../../runner/src/worker');
