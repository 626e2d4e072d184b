/**
 * IAM generation for a template's state machine. The policy names the template's
 * placeholders: a value known to be an ARN (`${TaskDefinitionArn}` from a Ref of a task
 * definition, `${Cluster.Arn}`) is written as it is rather than wrapped in an ARN built
 * around it, and region and account default to what the host writes for them: the pseudo
 * parameters in a CloudFormation, SAM or CDK template, so the statements can go into the
 * template's role inside a Fn::Sub; the current region and account data sources in a `.tf`
 * file, so they can go into a `jsonencode` policy document.
 */
import { buildModel } from '../model';
import { parseDocument } from '../parse';
import { substituteDocument } from '../substitutions';
import type { IamContext, MachineModel } from '../types';
import type { EmbeddedMachine } from './types';

/** Stands for an ARN-shaped placeholder while the policy is generated. */
const ARN_MARK = 'arn:asl-workbench-placeholder:';

/** Region and account of a CloudFormation, SAM or CDK template's policy when the caller gives none. */
const CLOUDFORMATION_CONTEXT: Partial<IamContext> = { region: '${AWS::Region}', account: '${AWS::AccountId}' };

/**
 * Region and account of a Terraform file's policy when the caller gives none. The region is
 * the data source's `name`, which AWS provider 5 and 6 both have (6 also calls it `region`).
 */
const TERRAFORM_CONTEXT: Partial<IamContext> = {
  region: '${data.aws_region.current.name}',
  account: '${data.aws_caller_identity.current.account_id}',
};

/** The data sources TERRAFORM_CONTEXT refers to, with the block that declares each. */
const TERRAFORM_DATA_SOURCES = [
  { reference: '${data.aws_region.current.', block: 'data "aws_region" "current" {}' },
  { reference: '${data.aws_caller_identity.current.', block: 'data "aws_caller_identity" "current" {}' },
];

/**
 * The model IAM generation reads, the region and account the host writes (`context`, for
 * those the caller does not give), `restore` to apply to the generated policy (any JSON
 * value) to put the placeholders back, and `hostNote` saying what the restored policy needs
 * from the host (undefined when nothing).
 */
export function iamModelOf(
  m: EmbeddedMachine,
  model?: MachineModel,
): {
  model: MachineModel;
  context: Partial<IamContext>;
  restore<T>(policy: T): T;
  hostNote(policy: unknown): string | undefined;
} {
  const base = model ?? buildModel(parseDocument(m.text, m.format));
  const arns = Object.fromEntries(
    m.placeholders.filter((p) => p.kind === 'arn').map((p) => [p.name, `${ARN_MARK}\${${p.name}}`]),
  );
  const substituted = substituteDocument(base.doc, arns);
  return {
    model: substituted ? buildModel(substituted) : base,
    context: m.hostKind === 'terraform' ? TERRAFORM_CONTEXT : CLOUDFORMATION_CONTEXT,
    restore: (policy) => JSON.parse(JSON.stringify(policy).split(ARN_MARK).join('')),
    hostNote: (policy) => {
      if (m.hostKind !== 'terraform') return undefined;
      const text = JSON.stringify(policy);
      const needed = TERRAFORM_DATA_SOURCES.filter((d) => text.includes(d.reference)).map((d) => d.block);
      return needed.length
        ? `The ARNs refer to data sources the Terraform module must declare: ${needed.join(' and ')}.`
        : undefined;
    },
  };
}
