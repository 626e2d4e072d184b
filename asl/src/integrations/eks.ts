/**
 * Amazon EKS optimized integrations (reference §1.1, §2.2-2.3, §3.4-3.6, §5.2-5.3):
 * the Kubernetes-API ones (`runJob`, `call`) and the control-plane ones (clusters, node
 * groups, Fargate profiles).
 */
import type { IamContext, IamStatement, IntegrationAction, IntegrationPattern } from '../types';
import { allow, arn, EKS_SERVICE_PRINCIPAL, staticString } from './common';

/**
 * [unconfirmed §8.5] The EKS integration page says `.waitForTaskToken` is not supported; the
 * integration-pattern table lists EKS with callback support. We follow the EKS page.
 */
export const EKS_SUPPORTS_CALLBACK = false;
const runPatterns = (): IntegrationPattern[] =>
  EKS_SUPPORTS_CALLBACK ? ['requestResponse', 'sync', 'waitForTaskToken'] : ['requestResponse', 'sync'];

const passedToEks = { StringEquals: { 'iam:PassedToService': EKS_SERVICE_PRINCIPAL } };
const anyRole = (ctx: IamContext) => `arn:${ctx.partition}:iam::${ctx.account}:role/*`;
/** A name from the definition, or `*` when it comes from a path / expression. */
const nameOr = (params: unknown, key: string) => staticString(params, key) ?? '*';

/** Kubernetes access for runJob / call is granted inside the cluster, not by IAM (§5.2, §5.3). */
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

// ---------------------------------------------------------------- IAM (§5.2)

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
 * [unconfirmed] The reference (§5.2) only says the role needs `iam:PassRole` for the pod
 * execution role; the EKS API statements below are inferred by analogy with the node group
 * templates (create on the cluster, describe/delete on the profile).
 */
function createFargateProfileIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const cluster = nameOr(params, 'ClusterName');
  return [
    allow(['eks:CreateFargateProfile'], [arn(ctx, 'eks', `cluster/${cluster}`)]),
    allow(['eks:DescribeFargateProfile', 'eks:DeleteFargateProfile'], [arn(ctx, 'eks', `fargateprofile/${cluster}/*`)]),
    allow(['iam:PassRole'], [staticString(params, 'PodExecutionRoleArn') ?? anyRole(ctx)], passedToEks),
  ];
}

/** [unconfirmed] inferred from DeleteNodegroup's template (§5.2 has none for this API). */
function deleteFargateProfileIam(params: unknown, _p: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const res = `fargateprofile/${nameOr(params, 'ClusterName')}/${nameOr(params, 'FargateProfileName')}/*`;
  return [allow(['eks:DeleteFargateProfile', 'eks:DescribeFargateProfile'], [arn(ctx, 'eks', res)])];
}

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
 * [unconfirmed §8.8] The error names of the EKS control-plane APIs are assumed to follow the
 * `<Service>.<Exception>` form of other optimized integrations.
 */
const controlPlaneErrors = (resource: string) => [
  { name: 'EKS.ResourceInUseException', when: `the ${resource} already exists or is in use` },
  { name: 'EKS.ResourceNotFoundException', when: `the ${resource} (or its cluster) does not exist` },
  { name: 'EKS.InvalidParameterException', when: 'a parameter was rejected' },
  { name: 'EKS.ResourceLimitExceededException', when: 'an account or cluster limit was reached' },
  { name: 'EKS.ClientException', when: 'the request is invalid for this account or resource' },
  { name: 'EKS.ServerException', when: 'EKS server-side error' },
  { name: 'States.TaskFailed', when: `.sync: the ${resource} ended in a failed status` },
  { name: 'States.Timeout', when: 'TimeoutSeconds or HeartbeatSeconds elapsed' },
];

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
    // [unconfirmed §8.6] the error name for a Job that ends Failed is not documented
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
      'The response: `ResponseBody` (the Kubernetes object or list), plus `StatusCode` and `StatusText`.',
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
  'the cluster is `ACTIVE` (fails if it ends `FAILED`)',
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
  'the profile is `ACTIVE` (fails on `CREATE_FAILED`)',
  'The profile description: `FargateProfile` with `FargateProfileName`, `FargateProfileArn`, `ClusterName`, `Status`, `Selectors`, `Subnets`…',
  createFargateProfileIam,
  'Creating the first Fargate profile also creates the `aws-auth` ConfigMap. If the EKS service-linked roles do not ' +
    'exist yet, the role also needs `iam:CreateServiceLinkedRole`.',
);

export const eksDeleteFargateProfile = controlPlane(
  'deleteFargateProfile',
  'eks-delete-fargate-profile',
  'Delete a Fargate profile.',
  ['ClusterName', 'FargateProfileName'],
  'DeleteFargateProfile for the profile',
  'the profile is gone (fails on `DELETE_FAILED`)',
  'The profile description with `Status` `DELETING`.',
  deleteFargateProfileIam,
);

export const eksCreateNodegroup = controlPlane(
  'createNodegroup',
  'eks-create-nodegroup',
  'Create a managed node group (EC2 worker nodes) in a cluster.',
  ['ClusterName', 'NodegroupName', 'Subnets', 'NodeRole'],
  'CreateNodegroup for the node group',
  'the node group is `ACTIVE` (fails on `CREATE_FAILED`)',
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
  'the node group is gone (fails on `DELETE_FAILED`)',
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
