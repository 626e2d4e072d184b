/**
 * `asl-workbench` CLI entry point (dist/cli.js). Each subcommand lives in cli/<name>.ts and
 * exports `main(argv): Promise<number>` returning the exit code:
 * 0 success, 1 failure found (validation errors / execution not SUCCEEDED), 2 usage or I/O error.
 */
import { main as validate } from './validate';
import { main as run } from './run';
import { main as serve } from './serve';
import { main as graph } from './graph';
import { main as iam } from './iam';
import { main as clean } from './clean';
import { main as test } from './test';
import { serveTestWorker, TEST_WORKER_FLAG } from './testSuite';
import { isMainThread, workerData } from 'node:worker_threads';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  validate: { run: validate, summary: 'validate state machines (text, json or sarif output)' },
  run: {
    // the AWS SDK is loaded only by the commands that talk to AWS: the others start without it
    run: async (argv) => (argv.includes('--aws') ? (await import('./runAws')).main(argv) : run(argv)),
    summary: 'execute a state machine locally (containers, Kubernetes or mocks), or on AWS with --aws',
  },
  deploy: {
    run: async (argv) => (await import('./deploy')).main(argv),
    summary: 'create or update the state machine on AWS (or any Step Functions endpoint)',
  },
  serve: { run: serve, summary: 'serve a local Step Functions endpoint (AWS JSON 1.0 protocol)' },
  graph: { run: graph, summary: 'export the state graph as svg, json, dot or mermaid' },
  iam: { run: iam, summary: 'print the IAM policy Step Functions would generate' },
  clean: { run: clean, summary: 'remove containers, networks and Jobs left by earlier local runs' },
  test: { run: test, summary: 'run the cases of *.asl-test.yaml files (JUnit, JSON, coverage)' },
};

export function usage(): string {
  const lines = ['usage: asl-workbench <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `asl-workbench <command> --help` for the options of one command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.ASL_WORKBENCH_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`asl-workbench: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

// `test` runs its cases on worker threads started from this same entry file
if (!isMainThread && (workerData as Record<string, unknown> | undefined)?.[TEST_WORKER_FLAG]) serveTestWorker();
else
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`asl-workbench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
