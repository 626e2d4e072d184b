/**
 * dist/runWorker.js, the one runner process the VS Code extension forks: a local execution
 * (runner/src/worker.ts, over IPC); with the first argument `test`, the CLI's `test` command
 * for the Test Explorer, whose reports the extension reads from `--json` and
 * `--coverage-json`; with `clean`, the CLI's `clean` command, which removes what a worker that
 * had to be killed left behind. One bundle for all three keeps a second copy of the runner out
 * of the .vsix, which leaves the whole CLI out for its size.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { main as clean } from './clean';
import { main as test } from './test';
import { serveTestWorker, TEST_WORKER_FLAG } from './testSuite';

/** The CLI commands the extension runs through this entry, by their first argument. */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { test, clean };

const command = COMMANDS[process.argv[2] ?? ''];
// the test command's pool starts its worker threads from this same entry file
if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[TEST_WORKER_FLAG]) serveTestWorker();
else if (command)
  command(process.argv.slice(3)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `asl-workbench ${process.argv[2]}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 2;
    },
  );
// evaluated only here: the execution worker starts listening for its parent when it loads
else void import('../../runner/src/worker');
