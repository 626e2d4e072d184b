/**
 * `asl-workbench run <machine|template> --aws [--name n] [--input json|file] [--execution-name n]
 * [--test-case c] [--json] [--history] [--profile p] [--region r] [--endpoint-url url]`
 *
 * Starts an execution of the deployed state machine of that name (the name `deploy` gives the
 * file) and follows its history, printing what a local `run` prints, with its exit codes:
 * 0 SUCCEEDED, 1 any other status, 2 usage / definition / IO / service errors. The first
 * Ctrl-C stops the execution (StopExecution) and waits for it to end.
 */
import path from 'node:path';
import { findStateMachineArn, startExecution, stopExecution, watchExecution } from '../../runner/src/aws/client';
import { deployedName } from '../../runner/src/aws/deployment';
import type { HistoryEvent } from '../../runner/src/history';
import { parseArgs } from './args';
import { AWS_USAGE, AWS_VALUED_OPTIONS, awsErrorText, clientFor } from './awsArgs';
import { loadValidMachine, printResult, progress, readInput } from './run';

const USAGE = `usage: asl-workbench run <machine.asl.json|yaml|template> --aws [options]
  --name <name>           the deployed state machine (default: the name deploy gives the file)
  --input <json|file>     execution input (default {})
  --execution-name <name> execution name (default: one Step Functions picks)
  --machine <id>          the template's state machine, when the template holds several
  --config <file>         local run config (its execution.stateMachineName names the machine)
  --test-case <name>      a mock test case of asl-workbench serve (sent as ARN#TestCase, as
                          Step Functions Local takes it; AWS itself has no test cases)
  --json                  print {"status","output","error","cause"} on stdout
  --history               with --json: include the execution history
${AWS_USAGE}`;

/** The StopExecution error a Ctrl-C sends, so the history says who stopped the execution. */
export const INTERRUPT_ERROR = 'AslWorkbench.Interrupted';

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    ['name', 'input', 'execution-name', 'machine', 'substitutions', 'config', 'test-case', ...AWS_VALUED_OPTIONS],
    ['aws', 'json', 'history', 'help'],
  );
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) return (process.stdout.write(USAGE + '\n'), 0);
  if (args.errors.length || args.positionals.length !== 1)
    return (err(args.errors.concat(args.positionals.length ? [] : ['missing <machine>']).join('\n') + '\n' + USAGE), 2);
  const o = args.options;
  const file = path.resolve(args.positionals[0]!);
  const loaded = loadValidMachine('run', file, o, 'STANDARD');
  if (typeof loaded === 'number') return loaded;
  let input: string;
  try {
    input = JSON.stringify(readInput(o.input));
  } catch (e) {
    return (err(`run: ${(e as Error).message}`), 2);
  }
  const aws = clientFor(o);
  if ('error' in aws) return (err(`run: ${aws.error}`), 2);
  const client = aws.client;
  const name = deployedName(file, o, loaded.embedded);
  const controller = new AbortController();
  let executionArn: string | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    err(`run: ${signal}: stopping the execution (press Ctrl-C again to quit at once; it keeps running then)`);
    controller.abort();
    if (executionArn)
      stopExecution(client, executionArn, INTERRUPT_ERROR, `stopped by ${signal}`).catch((e: unknown) =>
        err(`run: could not stop ${executionArn}: ${awsErrorText(e)}`),
      );
  };
  try {
    const arn = await findStateMachineArn(client, name);
    if (!arn) return (err(`run: no state machine named '${name}' there; deploy it first (asl-workbench deploy)`), 2);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const started = await startExecution(client, {
      stateMachineArn: o['test-case'] ? `${arn}#${o['test-case']}` : arn,
      name: o['execution-name'],
      input,
    });
    executionArn = started.executionArn;
    // a signal that came while StartExecution was on its way stops the execution now
    if (controller.signal.aborted) onSignal('SIGINT');
    err(`run: ${executionArn}`);
    const history: unknown[] = [];
    const show = progress(err);
    const end = await watchExecution(client, executionArn, {
      signal: controller.signal,
      onEvent: (e) => {
        if (args.flags.has('history')) history.push(e);
        show(e as unknown as HistoryEvent);
      },
    });
    return printResult(
      {
        status: end.status ?? 'UNKNOWN',
        output: end.output !== undefined ? JSON.parse(end.output) : undefined,
        error: end.error,
        cause: end.cause,
        history,
      },
      { json: args.flags.has('json'), history: args.flags.has('history') },
    );
  } catch (e) {
    return (err(`run: ${awsErrorText(e)}`), 2);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    client.destroy();
  }
}
