/**
 * `asl-workbench iam <file> [--region r] [--account a] [--state name] [--output file]` —
 * prints the IAM policy Step Functions would generate for the ECS/EKS Task states of a state
 * machine (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html), with the same core as the editor's "Generate IAM policy" action.
 * Notes (which statements are inferred rather than documented by AWS, Kubernetes RBAC for
 * eks:runJob/eks:call, roles to pass) go to stderr.
 * Exit 0: policy printed; 1: the file is not a usable state machine (syntax errors, no object,
 * unknown --state); 2: usage or I/O error.
 */
import { inferredStatementsNote, policyForMachine, policyForState, policyNotes } from '../../asl/src/iam';
import { iamModelOf } from '../../asl/src/templates';
import { parseArgs } from './args';
import { readMachineFile, writeOutput } from './machineFile';

const USAGE = `usage: asl-workbench iam <file> [options]

Prints the IAM policy (JSON) Step Functions generates for the ECS/EKS Task states of a state
machine (.asl.json, .asl.yaml, .asl.yml, .json), or of one held in a CloudFormation, SAM or
CDK template or a Terraform file; the template's placeholders (\${AWS::Partition},
\${Cluster.Arn}, …) stay in the ARNs.

options:
  --machine <id>        the template's state machine (its logical id or Terraform
                        address), when it holds several
  --region <region>     region of the ARNs (default: the placeholder \${Region}; in a
                        template \${AWS::Region}; in a .tf file
                        \${data.aws_region.current.name})
  --account <account>   account id of the ARNs (default: the placeholder \${AccountId}; in
                        a template \${AWS::AccountId}; in a .tf file
                        \${data.aws_caller_identity.current.account_id})
  --partition <p>       aws (default), aws-cn or aws-us-gov
  --state <name>        only this state's policy
  --output <file>       write the policy to a file instead of stdout
  -h, --help            show this help

exit status: 0 policy printed, 1 not a usable state machine, 2 usage or I/O error`;

/** Entry point of the subcommand; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['region', 'account', 'partition', 'state', 'output', 'machine'], ['help']);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const problems = [...args.errors];
  if (args.positionals.length !== 1) problems.push(args.positionals.length ? 'give exactly one file' : 'no file given');
  if (args.options.account !== undefined && !/^\d{12}$/.test(args.options.account))
    problems.push(`--account must be a 12-digit account id, not '${args.options.account}'`);
  if (args.options.partition !== undefined && !['aws', 'aws-cn', 'aws-us-gov'].includes(args.options.partition))
    problems.push(`unknown --partition '${args.options.partition}'`);
  if (problems.length) {
    process.stderr.write(problems.map((p) => `asl-workbench iam: ${p}`).join('\n') + `\n\n${USAGE}\n`);
    return 2;
  }
  const file = args.positionals[0];
  const machine = readMachineFile('iam', file, { machine: args.options.machine });
  if (!machine) return 2;
  const { doc, positionAt } = machine;
  const embedded = machine.embedded && iamModelOf(machine.embedded.machine, machine.model);
  const model = embedded?.model ?? machine.model;
  const syntax = doc.problems.filter((p) => p.severity === 'error');
  if (!model.root || syntax.length) {
    const first = syntax[0];
    const where = first
      ? `:${positionAt(first.offset).line + 1}:${positionAt(first.offset).character + 1} ${first.message}`
      : ': not a state machine object';
    process.stderr.write(`asl-workbench iam: ${file}${where}\n`);
    return 1;
  }
  const ctx = {
    ...embedded?.context,
    region: args.options.region ?? embedded?.context.region,
    account: args.options.account ?? embedded?.context.account,
    partition: args.options.partition,
  };
  let policy;
  let notes = policyNotes(model);
  if (args.options.state !== undefined) {
    const state = model.states.find((s) => s.name === args.options.state);
    if (!state) {
      process.stderr.write(`asl-workbench iam: no state named '${args.options.state}' in ${file}\n`);
      return 1;
    }
    policy = policyForState(state, ctx);
    notes = notes.filter((n) => n.states.includes(state.name));
  } else policy = policyForMachine(model, ctx);
  if (embedded) policy = embedded.restore(policy);
  const json = JSON.stringify(policy, null, 2) + '\n';
  if (!writeOutput('iam', args.options.output, json)) return 2;
  const hostNote = embedded?.hostNote(policy);
  if (hostNote) process.stderr.write(`note (Terraform data sources):\n${hostNote}\n\n`);
  const inferred = inferredStatementsNote(policy.Statement);
  if (inferred) process.stderr.write(`note (inferred statements):\n${inferred}\n\n`);
  for (const n of notes) process.stderr.write(`note (${n.key}: ${n.states.join(', ')}):\n${n.note}\n\n`);
  return 0;
}
