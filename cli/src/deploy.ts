/**
 * `asl-workbench deploy <machine|template> --role-arn <arn> [--name n] [--type t] [--machine id]
 * [--substitutions f] [--config f] [--profile p] [--region r] [--endpoint-url url]`
 *
 * Refuses a machine with errors as `run` does (exit 2), prints the IAM policy the machine needs
 * on stderr, then creates the state machine or updates the one with that name, and prints its
 * ARN on stdout. Exit 0 deployed, 1 the service refused, 2 usage / definition / IO errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { policyForMachine } from '../../asl/src/iam';
import { nodeValue } from '../../asl/src/parse/tree';
import { substituteDocument } from '../../asl/src/substitutions';
import type { EmbeddedMachine } from '../../asl/src/templates';
import { deployStateMachine } from '../../runner/src/aws/client';
import { loadRunConfig } from '../../runner/src/config';
import { parseArgs } from './args';
import { AWS_USAGE, AWS_VALUED_OPTIONS, awsErrorText, clientFor } from './awsArgs';
import { loadValidMachine, machineName, type ValidMachine } from './run';

const USAGE = `usage: asl-workbench deploy <machine.asl.json|yaml|template> --role-arn <arn> [options]
  --role-arn <arn>        the IAM role the state machine runs as (required)
  --name <name>           state machine name (default: execution.stateMachineName of the run
                          config, else the template's logical id, else the file base name)
  --type <t>              STANDARD (default) or EXPRESS, for a new state machine
  --machine <id>          the template's state machine, when the template holds several
  --substitutions <file>  values of \${Name} placeholders, as for run
  --config <file>         local run config (default: asl-workbench.run.json nearby)
${AWS_USAGE}
Creates the state machine, or updates the one with that name, and prints its ARN.`;

/** The state machine name `deploy` gives a file and `run --aws` looks for. */
export function deployedName(
  file: string,
  o: Record<string, string | undefined>,
  embedded: EmbeddedMachine | undefined,
): string {
  if (o.name) return o.name;
  const cfg = loadRunConfig(file, o.config);
  const configured = cfg.ok ? cfg.value.execution?.stateMachineName : undefined;
  if (typeof configured === 'string' && configured) return configured;
  return embedded?.id ?? machineName(file);
}

/** The definition JSON Step Functions receives: placeholders replaced by their resolved values. */
export function definitionJson(m: ValidMachine): string {
  const doc = substituteDocument(m.analysis.doc, m.values) ?? m.analysis.doc;
  return JSON.stringify(nodeValue(doc.root), null, 2);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    ['role-arn', 'name', 'type', 'machine', 'substitutions', 'config', ...AWS_VALUED_OPTIONS],
    ['help'],
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
      definition: definitionJson(loaded),
      roleArn: o['role-arn']!,
      type: type as 'STANDARD' | 'EXPRESS',
    });
    err(`deploy: ${done.action} ${name}`);
    process.stdout.write(done.arn + '\n');
    return 0;
  } catch (e) {
    return (err(`deploy: ${awsErrorText(e)}`), 1);
  } finally {
    aws.client.destroy();
  }
}
