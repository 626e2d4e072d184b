/**
 * Amazon EKS optimized integrations (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://docs.aws.amazon.com/eks/latest/APIReference/Welcome.html):
 * the Kubernetes-API ones (`runJob`, `call`) and the control-plane ones (clusters, node
 * groups, Fargate profiles).
 */
import type { IamContext, IamStatement, IntegrationAction, IntegrationPattern } from '../types';
import { inferred } from '../iam/sid';
import { allow, arn, EKS_SERVICE_PRINCIPAL, staticString } from './common';

/**
 * The EKS integration page (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html) says `.waitForTaskToken` is not supported; the
 * integration-pattern table (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html) lists EKS with callback
 * support. We follow the EKS page.
 */
export const EKS_SUPPORTS_CALLBACK = false;
const runPatterns = (): IntegrationPattern[] =>
  EKS_SUPPORTS_CALLBACK ? ['requestResponse', 'sync', 'waitForTaskToken'] : ['requestResponse', 'sync'];

const passedToEks = { StringEquals: { 'iam:PassedToService': EKS_SERVICE_PRINCIPAL } };
const anyRole = (ctx: IamContext) => `arn:${ctx.partition}:iam::${ctx.account}:role/*`;
/** A name from the definition, or `*` when it comes from a path / expression. */
const nameOr = (params: unknown, key: string) => staticString(params, key) ?? '*';

/** Kubernetes access for runJob / call is granted inside the cluster, not by IAM (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). */
export const K8S_RBAC_NOTE = [
  'No IAM statements: `eks:runJob` and `eks:call` talk to the Kubernetes API server, which authorizes the state',
  "machine's IAM role itself (otherwise the task fails with `EKS.401`).",
  'If Step Functions created the cluster (`eks:createCluster`), the role is already cluster admin (`system:masters`).',
  'Otherwise map the role, either with an EKS access entry (recommended; `aws-auth` is deprecated):',
  '`aws eks create-access-entry --cluster-name <cluster> --principal-arn <state machine role ARN>` and',
  '`aws eks associate-access-policy --cluster-name <cluster> --principal-arn <role ARN> --access-scope type=namespace,namespaces=<ns>',
  '--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy`,',
  'or with the `aws-auth` ConfigMap in `kube-system`:',
  '`mapRoles: [{ rolearn: <role ARN without any /service-role/ path>, username: <name>, groups: [<group with RBAC on Jobs/Pods>] }]`.',
  'Only public API endpoints are reachable by the integration.',
].join('\n');

// ---------------------------------------------------------------- IAM (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html)

function createClusterIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  return [
    allow(['eks:CreateCluster'], ['*']),
    allow(['eks:DescribeCluster', 'eks:DeleteCluster'], [arn(ctx, 'eks', 'cluster/*')]),
    allow(['iam:PassRole'], [staticString(params, 'RoleArn') ?? anyRole(ctx)], passedToEks),
  ];
}

function deleteClusterIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  return [allow(['eks:DeleteCluster', 'eks:DescribeCluster'], [arn(ctx, 'eks', `cluster/${nameOr(params, 'Name')}`)])];
}

function createNodegroupIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  return [
    allow(['ec2:DescribeSubnets', 'eks:CreateNodegroup'], ['*']),
    allow(['eks:DescribeNodegroup', 'eks:DeleteNodegroup'], [arn(ctx, 'eks', 'nodegroup/*')]),
    allow(['iam:GetRole', 'iam:ListAttachedRolePolicies'], [anyRole(ctx)]),
    allow(['iam:PassRole'], [staticString(params, 'NodeRole') ?? anyRole(ctx)], passedToEks),
  ];
}

function deleteNodegroupIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const res = `nodegroup/${nameOr(params, 'ClusterName')}/${nameOr(params, 'NodegroupName')}/*`;
  return [allow(['eks:DeleteNodegroup', 'eks:DescribeNodegroup'], [arn(ctx, 'eks', res)])];
}

/**
 * AWS publishes no policy template for the Fargate profile APIs: the EKS page only says in
 * prose that the role needs `iam:PassRole` for the pod execution role. Every statement here is
 * inferred by analogy with the node group templates (create on the cluster, describe/delete on
 * the profile, PassRole limited to EKS), so all of them are marked as such.
 */
function createFargateProfileIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const cluster = nameOr(params, 'ClusterName');
  return [
    allow(['eks:CreateFargateProfile'], [arn(ctx, 'eks', `cluster/${cluster}`)]),
    allow(['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'], [arn(ctx, 'eks', `fargateprofile/${cluster}/*`)]),
    allow(['iam:PassRole'], [staticString(params, 'PodExecutionRoleArn') ?? anyRole(ctx)], passedToEks),
  ].map(inferred);
}

/** Inferred from DeleteNodegroup's template, as for createFargateProfile. */
function deleteFargateProfileIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const res = `fargateprofile/${nameOr(params, 'ClusterName')}/${nameOr(params, 'FargateProfileName')}/*`;
  return [inferred(allow(['eks:DeleteFargateProfile', 'eks:DescribeFargateProfile'], [arn(ctx, 'eks', res)]))];
}

/** What a user of the Fargate profile integrations should know about the suggested policy. */
const CREATE_FARGATE_PROFILE_IAM_NOTE =
  'IAM: AWS publishes no policy template for the Fargate profile APIs. It documents only that the role needs ' +
  '`iam:PassRole` on the pod execution role (and `iam:CreateServiceLinkedRole` while the EKS service-linked roles ' +
  'do not exist); see https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html. Every statement ' +
  'suggested here is our inference (Sid `Inferred…`): the `eks:` actions and their resources, and the ' +
  '`iam:PassedToService` condition, follow the node group templates.';
const DELETE_FARGATE_PROFILE_IAM_NOTE =
  'IAM: AWS publishes no policy template for the Fargate profile APIs. The suggested statement is our inference ' +
  '(Sid `Inferred…`) from the DeleteNodegroup template on https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html.';

const safe =
  (f: IntegrationAction['iam']): IntegrationAction['iam'] =>
  (params, pattern, ctx) => {
    try {
      return f(params, pattern, ctx);
    } catch {
      return [];
    }
  };

// ---------------------------------------------------------------- docs

const k8sErrors = [
  {
    name: 'EKS.401',
    when: "the Kubernetes API server does not authorize the state machine's role (see the RBAC note)",
  },
  { name: 'EKS.403', when: 'the role is known to Kubernetes but RBAC forbids the operation' },
  { name: 'EKS.404', when: 'the Kubernetes object or namespace does not exist' },
  { name: 'EKS.409', when: 'the object already exists (for runJob: a Job with the same name)' },
  {
    name: 'EKS.<status>',
    when: 'any other non-2xx HTTP status from the Kubernetes API; the cause holds ResponseBody, StatusCode, StatusText',
  },
  { name: 'States.Timeout', when: 'TimeoutSeconds or HeartbeatSeconds elapsed' },
];

/**
 * How hovers and completion label what AWS does not document for the EKS control-plane APIs:
 * their error names and which status fails a `.sync` wait. The names follow the
 * `<Service>.<Exception>` form of other optimized integrations and are the ones local runs raise
 * (runner/src/drivers/eks/controlPlane.ts).
 */
export const NOT_DOCUMENTED_LOCAL = 'not documented by AWS; local behaviour';

const controlPlaneErrors = (resource: string) => [
  { name: 'EKS.ResourceInUseException', when: `the ${resource} already exists (${NOT_DOCUMENTED_LOCAL})` },
  {
    name: 'EKS.ResourceNotFoundException',
    when: `the ${resource}${resource === 'cluster' ? '' : ' (or its cluster)'} does not exist (${NOT_DOCUMENTED_LOCAL})`,
  },
  { name: 'EKS.InvalidParameterException', when: `a required parameter is missing or empty (${NOT_DOCUMENTED_LOCAL})` },
  { name: 'States.TaskFailed', when: `.sync: the ${resource} ended in a failed status (${NOT_DOCUMENTED_LOCAL})` },
  { name: 'States.Timeout', when: 'TimeoutSeconds or HeartbeatSeconds elapsed' },
];

/** The `.sync` wait's end for a create API, with the failed status marked as undocumented. */
const activeOr = (what: string, failed: string) =>
  `${what} is \`ACTIVE\` (failing the state on \`${failed}\`: ${NOT_DOCUMENTED_LOCAL})`;

function controlPlane(
  action: string,
  schemaId: string,
  summary: string,
  required: string[],
  what: string,
  syncWaitsFor: string,
  rrOutput: string,
  iam: IntegrationAction['iam'],
  notes?: string,
): IntegrationAction {
  return {
    service: 'eks',
    action,
    key: `eks:${action}`,
    patterns: runPatterns(),
    parametersSchemaId: schemaId,
    summary,
    patternDocs: {
      requestResponse: `Calls ${what} and continues as soon as EKS accepts it; the work goes on in the background.`,
      sync: `Calls ${what}, then polls until ${syncWaitsFor}. Standard workflows only. Stopping the execution does not undo it.`,
    },
    required,
    errors: controlPlaneErrors(what.split(' the ')[1] ?? 'resource'),
    output: { requestResponse: rrOutput, sync: `${rrOutput} After the wait, the object shows its final status.` },
    iam: safe(iam),
    ...(notes ? { notes } : {}),
  };
}

/** eks:runJob: run a Kubernetes batch/v1 Job. */
export const eksRunJob: IntegrationAction = {
  service: 'eks',
  action: 'runJob',
  key: 'eks:runJob',
  patterns: runPatterns(),
  parametersSchemaId: 'eks-run-job',
  summary: 'Run a Kubernetes batch/v1 Job on an Amazon EKS cluster.',
  patternDocs: {
    requestResponse: 'Creates the Job through the Kubernetes API and continues without waiting for it to finish.',
    sync:
      'Creates the Job, then polls its status (about once a minute at first, slowing to about every 5 minutes) until it ' +
      'completes or fails. With `LogOptions.RetrieveLogs` the pod logs are fetched at the end (best effort). ' +
      'Standard workflows only.',
  },
  required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Job'],
  errors: [
    ...k8sErrors,
    // the error name for a Job that ends Failed is not documented by AWS
    { name: 'States.TaskFailed', when: '.sync: the Job ended with a `Failed` condition (name not documented by AWS)' },
  ],
  output: {
    requestResponse: 'The Job object as the Kubernetes API returned it on creation (shape not documented by AWS).',
    sync:
      'The Job object with its final `status` (`conditions`, `succeeded`, `failed`, `completionTime`…) and, with ' +
      'RetrieveLogs, `logs.pods.<pod>.containers.<container>.log` (JSON-parsed unless `RawLogs` is true; `error`/`cause` ' +
      'instead of `log` when a log could not be read).',
  },
  iam: () => [],
  notes: K8S_RBAC_NOTE,
};

/** eks:call: any Kubernetes API request. */
export const eksCall: IntegrationAction = {
  service: 'eks',
  action: 'call',
  key: 'eks:call',
  patterns: ['requestResponse'],
  parametersSchemaId: 'eks-call',
  summary: 'Send one request to the Kubernetes API of an Amazon EKS cluster (read or write any object).',
  patternDocs: {
    requestResponse:
      'Sends `Method` to `Path` (with `QueryParameters` and `RequestBody`) and returns the response. Only Request ' +
      'Response is supported: poll with a loop of Wait + call if you need to wait for something.',
  },
  required: ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path'],
  errors: k8sErrors,
  output: {
    requestResponse:
      '`ResponseBody`: the Kubernetes object or list the API server answered. AWS documents only this key for a ' +
      'successful call; `StatusCode` and `StatusText` are documented only in the cause of an `EKS.<status>` error ' +
      '(https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). Local runs also return `StatusCode`, ' +
      `\`StatusText\` and \`Headers\` (${NOT_DOCUMENTED_LOCAL}).`,
  },
  iam: () => [],
  notes: K8S_RBAC_NOTE,
};

export const eksCreateCluster = controlPlane(
  'createCluster',
  'eks-create-cluster',
  'Create an Amazon EKS cluster (control plane).',
  ['Name', 'RoleArn', 'ResourcesVpcConfig'],
  'CreateCluster for the cluster',
  activeOr('the cluster', 'FAILED'),
  'The cluster description: `Cluster` with `Name`, `Arn`, `Status`, `Endpoint`, `CertificateAuthority.Data`, `Version`, `RoleArn`, `ResourcesVpcConfig`…',
  createClusterIam,
  "The state machine's role becomes cluster admin (`system:masters`) in Kubernetes. If the EKS service-linked roles " +
    'do not exist yet, the role also needs `iam:CreateServiceLinkedRole`.',
);

export const eksDeleteCluster = controlPlane(
  'deleteCluster',
  'eks-delete-cluster',
  'Delete an Amazon EKS cluster (delete its node groups and Fargate profiles first).',
  ['Name'],
  'DeleteCluster for the cluster',
  'the cluster is gone',
  'The cluster description with `Status` `DELETING`.',
  deleteClusterIam,
);

export const eksCreateFargateProfile = controlPlane(
  'createFargateProfile',
  'eks-create-fargate-profile',
  'Create a Fargate profile so that matching pods run on AWS Fargate.',
  ['ClusterName', 'FargateProfileName', 'PodExecutionRoleArn'],
  'CreateFargateProfile for the profile',
  activeOr('the profile', 'CREATE_FAILED'),
  'The profile description: `FargateProfile` with `FargateProfileName`, `FargateProfileArn`, `ClusterName`, `Status`, `Selectors`, `Subnets`…',
  createFargateProfileIam,
  'Creating the first Fargate profile also creates the `aws-auth` ConfigMap.\n\n' + CREATE_FARGATE_PROFILE_IAM_NOTE,
);

export const eksDeleteFargateProfile = controlPlane(
  'deleteFargateProfile',
  'eks-delete-fargate-profile',
  'Delete a Fargate profile.',
  ['ClusterName', 'FargateProfileName'],
  'DeleteFargateProfile for the profile',
  `the profile is gone (failing the state on \`DELETE_FAILED\`: ${NOT_DOCUMENTED_LOCAL})`,
  'The profile description with `Status` `DELETING`.',
  deleteFargateProfileIam,
  DELETE_FARGATE_PROFILE_IAM_NOTE,
);

export const eksCreateNodegroup = controlPlane(
  'createNodegroup',
  'eks-create-nodegroup',
  'Create a managed node group (EC2 worker nodes) in a cluster.',
  ['ClusterName', 'NodegroupName', 'Subnets', 'NodeRole'],
  'CreateNodegroup for the node group',
  activeOr('the node group', 'CREATE_FAILED'),
  'The node group description: `Nodegroup` with `NodegroupName`, `NodegroupArn`, `ClusterName`, `Status`, `ScalingConfig`, `InstanceTypes`…',
  createNodegroupIam,
  'If the EKS service-linked roles do not exist yet, the role also needs `iam:CreateServiceLinkedRole`.',
);

export const eksDeleteNodegroup = controlPlane(
  'deleteNodegroup',
  'eks-delete-nodegroup',
  'Delete a managed node group.',
  ['ClusterName', 'NodegroupName'],
  'DeleteNodegroup for the node group',
  `the node group is gone (failing the state on \`DELETE_FAILED\`: ${NOT_DOCUMENTED_LOCAL})`,
  'The node group description with `Status` `DELETING`.',
  deleteNodegroupIam,
);

/** Every EKS action this catalogue knows. */
export const EKS_ACTIONS: IntegrationAction[] = [
  eksRunJob,
  eksCall,
  eksCreateCluster,
  eksDeleteCluster,
  eksCreateFargateProfile,
  eksDeleteFargateProfile,
  eksCreateNodegroup,
  eksDeleteNodegroup,
];
