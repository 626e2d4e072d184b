/**
 * `asl-workbench deploy <machine|template> --role-arn <arn> [--name n] [--type t] [--machine id]
 * [--substitutions f] [--config f] [--publish] [--version-description d] [--alias name]
 * [--profile p] [--region r] [--endpoint-url url]`
 *
 * Refuses a machine with errors as `run` does (exit 2), prints the IAM policy the machine needs
 * on stderr, then creates the state machine or updates the one with that name, and prints its
 * ARN on stdout, followed by the ARNs of the version published and the alias pointed at it
 * when asked. Exit 0 deployed, 1 the service refused, 2 usage / definition / IO errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { policyForMachine } from '../../asl/src/iam';
import { deployStateMachine } from '../../runner/src/aws/client';
import { definitionJson, deployedName } from '../../runner/src/aws/deployment';
import { parseArgs } from './args';
import { AWS_USAGE, AWS_VALUED_OPTIONS, awsErrorText, clientFor } from './awsArgs';
import { loadValidMachine } from './run';

const USAGE = `usage: asl-workbench deploy <machine.asl.json|yaml|template> --role-arn <arn> [options]
  --role-arn <arn>        the IAM role the state machine runs as (required)
  --name <name>           state machine name (default: execution.stateMachineName of the run
                          config, else the template's logical id, else the file base name)
  --type <t>              STANDARD (default) or EXPRESS, for a new state machine
  --machine <id>          the template's state machine, when the template holds several
  --substitutions <file>  values of \${Name} placeholders, as for run
  --config <file>         local run config (default: asl-workbench.run.json nearby)
  --publish               publish the deployed definition as a new version
  --version-description <d>
                          the published version's description
  --alias <name>          point this alias (created when missing) at the published version;
                          implies --publish
${AWS_USAGE}
Creates the state machine, or updates the one with that name, and prints its ARN, then the
ARNs of the published version and of the alias, each on its own line.`;

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    [
      'role-arn',
      'name',
      'type',
      'machine',
      'substitutions',
      'config',
      'version-description',
      'alias',
      ...AWS_VALUED_OPTIONS,
    ],
    ['publish', 'help'],
  );
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) return (process.stdout.write(USAGE + '\n'), 0);
  const o = args.options;
  const problems = [...args.errors];
  if (args.positionals.length !== 1)
    problems.push(args.positionals.length ? 'give exactly one file' : 'missing <machine>');
  if (!o['role-arn']) problems.push('--role-arn is required');
  const type = (o.type ?? 'STANDARD').toUpperCase();
  if (type !== 'STANDARD' && type !== 'EXPRESS') problems.push('--type must be STANDARD or EXPRESS');
  if (problems.length) return (err(problems.join('\n') + '\n' + USAGE), 2);
  const file = path.resolve(args.positionals[0]!);
  if (!fs.existsSync(file)) return (err(`cannot read ${file}`), 2);
  const loaded = loadValidMachine('deploy', file, o, type as 'STANDARD' | 'EXPRESS');
  if (typeof loaded === 'number') return loaded;
  const aws = clientFor(o);
  if ('error' in aws) return (err(`deploy: ${aws.error}`), 2);
  const name = deployedName(file, o, loaded.embedded);
  err(
    `IAM policy the role needs for this state machine's tasks:\n${JSON.stringify(policyForMachine(loaded.analysis.model), null, 2)}`,
  );
  try {
    const done = await deployStateMachine(aws.client, {
      name,
      definition: definitionJson(loaded.analysis.doc, loaded.values),
      roleArn: o['role-arn']!,
      type: type as 'STANDARD' | 'EXPRESS',
      publish: args.flags.has('publish'),
      versionDescription: o['version-description'],
      alias: o.alias,
    });
    err(`deploy: ${done.action} ${name}`);
    if (done.versionArn) err(`deploy: published version ${done.versionArn.slice(done.arn.length + 1)}`);
    if (done.aliasArn) err(`deploy: alias ${o.alias} runs version ${done.versionArn!.slice(done.arn.length + 1)}`);
    process.stdout.write([done.arn, done.versionArn, done.aliasArn].filter(Boolean).join('\n') + '\n');
    return 0;
  } catch (e) {
    return (err(`deploy: ${awsErrorText(e)}`), 1);
  } finally {
    aws.client.destroy();
  }
}
