/**
 * The snippets of both languages, written once as data. `generate.ts` renders them to
 * snippets/asl.code-snippets (JSON) and snippets/asl-yaml.code-snippets (YAML).
 *
 * Kinds (the key prefix in the generated files says which, so the language server can offer
 * each only where it fits):
 *  - "State: …"   one state, inserted as a property inside `States`; validates clean alone.
 *  - "Retry: …" / "Catch: …"   a field inserted inside a Task state.
 *  - "Machine: …" a whole state machine for an empty file.
 * Sources: resources https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html; parameters and error names
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html and https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html; Retry/Catch
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
 */
import type { Emittable, OpaqueScalar } from '../../asl/src/text/emit';

/** A tab stop with a default text (`${n:text}`), or a choice (`${n|a,b|}`). */
export interface Placeholder extends OpaqueScalar {
  readonly n: number;
  readonly text: string;
  readonly choices?: readonly string[];
  /** Render unquoted in JSON (numbers, booleans). */
  readonly raw?: boolean;
}

export const ph = (n: number, text: string): Placeholder => ({ opaque: true, n, text });
export const num = (n: number, value: number): Placeholder => ({ opaque: true, n, text: String(value), raw: true });
export const choice = (n: number, ...choices: string[]): Placeholder => ({
  opaque: true,
  n,
  text: choices[0],
  choices,
});
/** A true/false choice rendered as a JSON boolean. */
export const bool = (n: number, first: boolean): Placeholder => ({
  opaque: true,
  n,
  text: String(first),
  choices: [String(first), String(!first)],
  raw: true,
});

export interface SnippetDef {
  kind: 'State' | 'Retry' | 'Catch' | 'Machine';
  title: string;
  prefix: string;
  description: string;
  /** State snippets: the state name (placeholder 1) and the state object. */
  name?: Placeholder;
  /** The state (State), the field value (Retry/Catch) or the whole machine (Machine). */
  body: Emittable;
}

const CA = 'CertificateAuthority';
/** Cluster access fields of every EKS Kubernetes-API integration (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html), fed from a createCluster output. */
const eksAccess = (n: number): Record<string, Emittable> => ({
  ClusterName: ph(n, 'my-eks-cluster'),
  [CA]: ph(n + 1, 'base64-encoded-certificate-authority-data'),
  Endpoint: ph(n + 2, 'https://EXAMPLE.gr7.us-east-1.eks.amazonaws.com'),
});

const jobManifest = (n: number): Emittable => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: ph(n, 'example-job') },
  spec: {
    backoffLimit: num(n + 1, 0),
    template: {
      metadata: { name: ph(n, 'example-job') },
      spec: {
        containers: [
          {
            name: ph(n + 2, 'main'),
            image: ph(n + 3, 'public.ecr.aws/docker/library/busybox:latest'),
            command: ['sh', '-c', ph(n + 4, 'echo hello from EKS')],
          },
        ],
        restartPolicy: choice(n + 5, 'Never', 'OnFailure'),
      },
    },
  },
});

const awsvpc = (n: number): Emittable => ({
  AwsvpcConfiguration: {
    Subnets: [ph(n, 'subnet-0123456789abcdef0')],
    SecurityGroups: [ph(n + 1, 'sg-0123456789abcdef0')],
    AssignPublicIp: choice(n + 2, 'ENABLED', 'DISABLED'),
  },
});

const task = (resource: string, fields: Record<string, Emittable>): Emittable => ({
  Type: 'Task',
  Resource: resource,
  ...fields,
  End: true,
});
const arn = (action: string) => `arn:aws:states:::${action}`;

/** Every snippet, in the order the completion list shows them. */
export const snippets: SnippetDef[] = [
  {
    kind: 'State',
    title: 'ECS runTask on Fargate',
    prefix: 'ecs-run-task',
    description: 'Task state that starts an Amazon ECS task on Fargate and continues at once (Request Response).',
    name: ph(1, 'Start Fargate task'),
    body: task(arn('ecs:runTask'), {
      Parameters: {
        LaunchType: 'FARGATE',
        Cluster: ph(2, 'my-cluster'),
        TaskDefinition: ph(3, 'my-task-family'),
        NetworkConfiguration: awsvpc(4),
      },
    }),
  },
  {
    kind: 'State',
    title: 'ECS runTask.sync on Fargate',
    prefix: 'ecs-run-task-sync',
    description:
      'Task state that runs an Amazon ECS task on Fargate with network configuration and waits until it stops (Run a Job).',
    name: ph(1, 'Run Fargate task'),
    body: task(arn('ecs:runTask.sync'), {
      Parameters: {
        LaunchType: 'FARGATE',
        Cluster: ph(2, 'my-cluster'),
        TaskDefinition: ph(3, 'my-task-family'),
        NetworkConfiguration: awsvpc(4),
      },
      TimeoutSeconds: num(7, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'ECS runTask.sync with the command from the input',
    prefix: 'ecs-run-task-command',
    description:
      'Runs an ECS task and waits; the container command comes from the state input (`"Command.$": "$.commands"`).',
    name: ph(1, 'Run an ECS task and wait for it to complete'),
    body: task(arn('ecs:runTask.sync'), {
      Parameters: {
        Cluster: ph(2, 'my-cluster'),
        TaskDefinition: ph(3, 'my-task-family'),
        Overrides: { ContainerOverrides: [{ Name: ph(4, 'app'), 'Command.$': ph(5, '$.commands') }] },
      },
      TimeoutSeconds: num(6, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'ECS runTask.waitForTaskToken (callback)',
    prefix: 'ecs-run-task-callback',
    description:
      'Starts an ECS task on Fargate and waits for the task to call SendTaskSuccess/SendTaskFailure with the token passed in its environment.',
    name: ph(1, 'Run task and wait for callback'),
    body: task(arn('ecs:runTask.waitForTaskToken'), {
      Parameters: {
        LaunchType: 'FARGATE',
        Cluster: ph(2, 'my-cluster'),
        TaskDefinition: ph(3, 'my-task-family'),
        NetworkConfiguration: awsvpc(4),
        Overrides: {
          ContainerOverrides: [
            { Name: ph(7, 'app'), Environment: [{ Name: ph(8, 'TASK_TOKEN'), 'Value.$': '$$.Task.Token' }] },
          ],
        },
      },
      HeartbeatSeconds: num(9, 600),
      TimeoutSeconds: num(10, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS runJob',
    prefix: 'eks-run-job',
    description:
      'Task state that creates a Kubernetes Job on an Amazon EKS cluster and continues at once (Request Response).',
    name: ph(1, 'Start EKS job'),
    body: task(arn('eks:runJob'), {
      Parameters: { ...eksAccess(2), Namespace: ph(5, 'default'), Job: jobManifest(6) },
    }),
  },
  {
    kind: 'State',
    title: 'EKS runJob.sync with logs',
    prefix: 'eks-run-job-sync',
    description:
      "Runs a Kubernetes Job on Amazon EKS, waits for it to complete and returns the pods' logs (LogOptions).",
    name: ph(1, 'Run EKS job'),
    body: task(arn('eks:runJob.sync'), {
      Parameters: {
        ...eksAccess(2),
        Namespace: ph(5, 'default'),
        LogOptions: { RetrieveLogs: true, RawLogs: bool(12, false), LogParameters: { tailLines: [ph(13, '100')] } },
        Job: jobManifest(6),
      },
      TimeoutSeconds: num(14, 3600),
    }),
  },
  {
    kind: 'State',
    title: "EKS call: list a Job's pods",
    prefix: 'eks-call-list-pods',
    description:
      'Calls the Kubernetes API of an Amazon EKS cluster to list the pods of a Job (label selector `job-name`).',
    name: ph(1, 'List job pods'),
    body: task(arn('eks:call'), {
      Parameters: {
        ...eksAccess(2),
        Method: 'GET',
        Path: ph(5, '/api/v1/namespaces/default/pods'),
        QueryParameters: { labelSelector: [ph(6, 'job-name=example-job')] },
      },
    }),
  },
  {
    kind: 'State',
    title: 'EKS call: delete a Job',
    prefix: 'eks-call-delete-job',
    description: 'Calls the Kubernetes API of an Amazon EKS cluster to delete a Job and, in the foreground, its pods.',
    name: ph(1, 'Delete job'),
    body: task(arn('eks:call'), {
      Parameters: {
        ...eksAccess(2),
        Method: 'DELETE',
        Path: ph(5, '/apis/batch/v1/namespaces/default/jobs/example-job'),
        QueryParameters: { propagationPolicy: [choice(6, 'Foreground', 'Background', 'Orphan')] },
      },
    }),
  },
  {
    kind: 'State',
    title: 'EKS createCluster.sync',
    prefix: 'eks-create-cluster',
    description:
      'Creates an Amazon EKS cluster and waits until it is ACTIVE; the output carries Cluster.Endpoint and Cluster.CertificateAuthority.Data.',
    name: ph(1, 'Create EKS cluster'),
    body: task(arn('eks:createCluster.sync'), {
      Parameters: {
        Name: ph(2, 'my-eks-cluster'),
        RoleArn: ph(3, 'arn:aws:iam::123456789012:role/MyEKSClusterRole'),
        ResourcesVpcConfig: { SubnetIds: [ph(4, 'subnet-0123456789abcdef0'), ph(5, 'subnet-0fedcba9876543210')] },
      },
      ResultPath: '$.eks',
      TimeoutSeconds: num(6, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS deleteCluster.sync',
    prefix: 'eks-delete-cluster',
    description:
      'Deletes an Amazon EKS cluster and waits until it is gone (delete its node groups and Fargate profiles first).',
    name: ph(1, 'Delete EKS cluster'),
    body: task(arn('eks:deleteCluster.sync'), {
      Parameters: { Name: ph(2, 'my-eks-cluster') },
      TimeoutSeconds: num(3, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS createNodegroup.sync',
    prefix: 'eks-create-nodegroup',
    description: 'Creates a managed node group in an Amazon EKS cluster and waits until it is ACTIVE.',
    name: ph(1, 'Create node group'),
    body: task(arn('eks:createNodegroup.sync'), {
      Parameters: {
        ClusterName: ph(2, 'my-eks-cluster'),
        NodegroupName: ph(3, 'my-nodegroup'),
        NodeRole: ph(4, 'arn:aws:iam::123456789012:role/MyEKSNodeRole'),
        Subnets: [ph(5, 'subnet-0123456789abcdef0'), ph(6, 'subnet-0fedcba9876543210')],
      },
      ResultPath: '$.nodegroup',
      TimeoutSeconds: num(7, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS deleteNodegroup.sync',
    prefix: 'eks-delete-nodegroup',
    description: 'Deletes a managed node group and waits until it is gone.',
    name: ph(1, 'Delete node group'),
    body: task(arn('eks:deleteNodegroup.sync'), {
      Parameters: { ClusterName: ph(2, 'my-eks-cluster'), NodegroupName: ph(3, 'my-nodegroup') },
      ResultPath: '$.nodegroupDeletion',
      TimeoutSeconds: num(4, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS createFargateProfile.sync',
    prefix: 'eks-create-fargate-profile',
    description: 'Creates a Fargate profile in an Amazon EKS cluster and waits until it is ACTIVE.',
    name: ph(1, 'Create Fargate profile'),
    body: task(arn('eks:createFargateProfile.sync'), {
      Parameters: {
        ClusterName: ph(2, 'my-eks-cluster'),
        FargateProfileName: ph(3, 'my-fargate-profile'),
        PodExecutionRoleArn: ph(4, 'arn:aws:iam::123456789012:role/MyFargatePodExecutionRole'),
        Selectors: [{ Namespace: ph(5, 'default') }],
      },
      ResultPath: '$.fargateProfile',
      TimeoutSeconds: num(6, 3600),
    }),
  },
  {
    kind: 'State',
    title: 'EKS deleteFargateProfile.sync',
    prefix: 'eks-delete-fargate-profile',
    description: 'Deletes a Fargate profile and waits until it is gone.',
    name: ph(1, 'Delete Fargate profile'),
    body: task(arn('eks:deleteFargateProfile.sync'), {
      Parameters: { ClusterName: ph(2, 'my-eks-cluster'), FargateProfileName: ph(3, 'my-fargate-profile') },
      ResultPath: '$.fargateProfileDeletion',
      TimeoutSeconds: num(4, 3600),
    }),
  },
  {
    kind: 'Retry',
    title: 'Retry ECS errors',
    prefix: 'retry-ecs',
    description:
      'Retries a runTask on the ECS API errors that are worth retrying (throttling, capacity, server errors), with backoff and jitter.',
    body: [
      {
        ErrorEquals: ['ECS.AmazonECSException', 'ECS.ServerException'],
        IntervalSeconds: num(1, 10),
        MaxAttempts: num(2, 3),
        BackoffRate: num(3, 2),
        JitterStrategy: 'FULL',
      },
    ],
  },
  {
    kind: 'Retry',
    title: 'Retry EKS errors',
    prefix: 'retry-eks',
    description: 'Retries an EKS task when the Kubernetes API answers 429 (too many requests) or a 5xx server error.',
    body: [
      {
        ErrorEquals: ['EKS.429', 'EKS.500', 'EKS.503'],
        IntervalSeconds: num(1, 10),
        MaxAttempts: num(2, 3),
        BackoffRate: num(3, 2),
        JitterStrategy: 'FULL',
      },
    ],
  },
  {
    kind: 'Catch',
    title: 'Catch ECS errors',
    prefix: 'catch-ecs',
    description:
      'Catches a failed ECS task: `AmazonECS.Unknown` (RunTask returned Failures), ECS API errors, then any task failure.',
    body: [
      {
        ErrorEquals: ['AmazonECS.Unknown', 'ECS.InvalidParameterException', 'ECS.ClusterNotFoundException'],
        ResultPath: '$.error',
        Next: ph(1, 'Handle ECS error'),
      },
      { ErrorEquals: ['States.TaskFailed', 'States.Timeout'], ResultPath: '$.error', Next: ph(1, 'Handle ECS error') },
    ],
  },
  {
    kind: 'Catch',
    title: 'Catch EKS errors',
    prefix: 'catch-eks',
    description:
      'Catches a failed EKS task: Kubernetes API errors (`EKS.401` unauthorized, `EKS.404` not found, `EKS.409` Job already exists), then any task failure.',
    body: [
      { ErrorEquals: ['EKS.401', 'EKS.404', 'EKS.409'], ResultPath: '$.error', Next: ph(1, 'Handle EKS error') },
      { ErrorEquals: ['States.TaskFailed', 'States.Timeout'], ResultPath: '$.error', Next: ph(1, 'Handle EKS error') },
    ],
  },
  {
    kind: 'Machine',
    title: 'Starter state machine (ECS task)',
    prefix: 'asl-starter',
    description:
      'A whole state machine: run an ECS task on Fargate and wait, retry ECS errors, catch failures into a Fail state.',
    body: {
      Comment: ph(1, 'Runs a container task on Amazon ECS and waits for it to finish.'),
      StartAt: 'Run task',
      States: {
        'Run task': {
          Type: 'Task',
          Resource: arn('ecs:runTask.sync'),
          Parameters: {
            LaunchType: 'FARGATE',
            Cluster: ph(2, 'my-cluster'),
            TaskDefinition: ph(3, 'my-task-family'),
            NetworkConfiguration: awsvpc(4),
            Overrides: { ContainerOverrides: [{ Name: ph(7, 'app'), 'Command.$': '$.commands' }] },
          },
          TimeoutSeconds: 3600,
          Retry: [
            {
              ErrorEquals: ['ECS.AmazonECSException', 'ECS.ServerException'],
              IntervalSeconds: 10,
              MaxAttempts: 3,
              BackoffRate: 2,
              JitterStrategy: 'FULL',
            },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Task failed' }],
          Next: 'Done',
        },
        'Task failed': { Type: 'Fail', Error: 'TaskFailed', Cause: 'The ECS task failed; see the execution history.' },
        Done: { Type: 'Succeed' },
      },
    },
  },
];
