/**
 * Amazon ECS / Fargate optimized integration: `ecs:runTask` (reference §1.1, §2.1, §3.1-3.3, §5.1).
 */
import type { IamContext, IamStatement, IntegrationAction, IntegrationPattern } from '../types';
import { allow, arn, field, staticObject, staticString } from './common';

/** The EventBridge managed rule Step Functions uses to learn that a `.sync` task stopped (§5.1). */
export const ECS_SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForECSTaskRule';
export const ECS_SYNC_EVENTS_ACTIONS = ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'];
/** Actions on `*` for `.sync`: the task id is unknown until RunTask returns (§5.1). */
export const ECS_SYNC_TASK_ACTIONS = ['ecs:StopTask', 'ecs:DescribeTasks'];
/**
 * `Tags` on RunTask needs `ecs:TagResource` [SLS656]. The tagged resource is the new task,
 * whose ARN is unknown before the call, so the statement covers every task of the account.
 * [unconfirmed: no AWS template shows this statement; reference §5.1 cites user reports]
 */
export const ECS_TAG_RESOURCE = (ctx: IamContext) => arn(ctx, 'ecs', 'task/*');
/**
 * When TaskDefinition has no revision, ECS runs the latest ACTIVE one, so the policy must
 * allow any revision. (AWS's template shows `<family>:<revision>`; §5.1.)
 */
export const ANY_REVISION = '*';
/** A dynamic role override can name any role of the account. */
export const ANY_ROLE = (ctx: IamContext) => `arn:${ctx.partition}:iam::${ctx.account}:role/*`;

/** The task-definition ARN RunTask is allowed on, for a static TaskDefinition value. */
export function taskDefinitionArn(value: string, ctx: IamContext): string {
  if (value.startsWith('arn:')) {
    // arn:<p>:ecs:<r>:<a>:task-definition/<family>[:<rev>]
    const slash = value.indexOf('task-definition/');
    const tail = slash >= 0 ? value.slice(slash + 'task-definition/'.length) : '';
    return slash >= 0 && !tail.includes(':') ? `${value}:${ANY_REVISION}` : value;
  }
  const withRevision = /:\d+$/.test(value) ? value : `${value}:${ANY_REVISION}`;
  return arn(ctx, 'ecs', `task-definition/${withRevision}`);
}

/** IAM statements Step Functions generates for ecs:runTask (§5.1), plus Tags and PassRole. */
export function runTaskIam(params: unknown, pattern: IntegrationPattern, ctx: IamContext): IamStatement[] {
  const td = staticString(params, 'TaskDefinition');
  const runTaskOn = td ? taskDefinitionArn(td, ctx) : '*';
  const out: IamStatement[] = [];
  if (pattern === 'sync') {
    if (runTaskOn === '*') out.push(allow(['ecs:RunTask', ...ECS_SYNC_TASK_ACTIONS], ['*']));
    else out.push(allow(['ecs:RunTask'], [runTaskOn]), allow([...ECS_SYNC_TASK_ACTIONS], ['*']));
    out.push(allow([...ECS_SYNC_EVENTS_ACTIONS], [arn(ctx, 'events', `rule/${ECS_SYNC_EVENTS_RULE}`)]));
  } else {
    out.push(allow(['ecs:RunTask'], [runTaskOn]));
  }
  if (field(params, 'Tags').kind !== 'absent') out.push(allow(['ecs:TagResource'], [ECS_TAG_RESOURCE(ctx)]));
  // role overrides need iam:PassRole on each role (§5.1)
  const overrides = staticObject(params, 'Overrides');
  if (overrides && typeof overrides === 'object') {
    const roles: string[] = [];
    for (const key of ['TaskRoleArn', 'ExecutionRoleArn']) {
      const f = field(overrides, key);
      if (f.kind === 'dynamic') roles.push(ANY_ROLE(ctx));
      else if (f.kind === 'static' && typeof f.value === 'string' && f.value) roles.push(f.value);
    }
    if (roles.length) out.push(allow(['iam:PassRole'], [...new Set(roles)]));
  }
  return out;
}

const SYNC_OUTPUT = [
  'The **task object** once the task has stopped, as DescribeTasks shows it, with PascalCase keys:',
  '`TaskArn`, `ClusterArn`, `TaskDefinitionArn`, `LastStatus` (`STOPPED`), `StopCode`, `StoppedReason`,',
  '`Containers[]` (with `Name`, `ExitCode`, `LastStatus`…), `Overrides`, `StartedBy` (`AWS Step Functions`),',
  '`CreatedAt`/`StartedAt`/`StoppedAt` as epoch milliseconds, `Group`, `LaunchType`, `Cpu`, `Memory`, `Tags`…',
  'No SDK metadata.',
].join(' ');

const RR_OUTPUT = [
  'The RunTask response: `{ "Tasks": [ … ], "Failures": [ … ] }` (PascalCase) plus',
  '`SdkHttpMetadata` (`HttpStatusCode`, `HttpHeaders`, `AllHttpHeaders`) and `SdkResponseMetadata` (`RequestId`).',
  'Tasks are just created: `LastStatus` is `PROVISIONING`.',
].join(' ');

/** ecs:runTask: start a task from a task definition. */
export const ecsRunTask: IntegrationAction = {
  service: 'ecs',
  action: 'runTask',
  key: 'ecs:runTask',
  patterns: ['requestResponse', 'sync', 'waitForTaskToken'],
  parametersSchemaId: 'ecs-run-task',
  summary: 'Start an Amazon ECS task (EC2, Fargate or External) from a task definition.',
  patternDocs: {
    requestResponse:
      'Calls RunTask and continues as soon as ECS accepts the request; it does not wait for the task. ' +
      'A response with a non-empty `Failures` list does **not** fail the state. Works in Standard and Express workflows.',
    sync:
      'Calls RunTask, then waits until the task reaches `STOPPED` (EventBridge events plus DescribeTasks polling). ' +
      'Step Functions sets `StartedBy` to `AWS Step Functions`. Non-empty `Failures` fail the state with `AmazonECS.Unknown`; ' +
      'a task that fails to start fails it with `States.TaskFailed` (cause: the task as JSON). Stopping the execution ' +
      'makes a best-effort StopTask. Standard workflows only.',
    waitForTaskToken:
      'Calls RunTask, then pauses until someone calls SendTaskSuccess / SendTaskFailure with the task token. Pass ' +
      '`$$.Task.Token` (JSONata: `$states.context.Task.Token`) to the container, usually as an environment variable in ' +
      '`Overrides.ContainerOverrides[].Environment`; without it the state can only time out. Non-empty `Failures` fail ' +
      'with `AmazonECS.Unknown`. Standard workflows only.',
  },
  required: ['TaskDefinition'],
  // [unconfirmed §8.14] `ECS.<Exception>` names come from production state machines, not AWS
  // docs; the list is RunTask's modeled exceptions. [§8.1] whether a non-zero exit code of an
  // essential container fails a .sync task is undocumented (emulators treat it as failure).
  errors: [
    {
      name: 'States.TaskFailed',
      when: '.sync: the task stopped without success (e.g. `TaskFailedToStart`); the cause is the task JSON',
    },
    {
      name: 'AmazonECS.Unknown',
      when: '.sync / .waitForTaskToken: RunTask returned HTTP 200 with a non-empty `Failures` list',
    },
    { name: 'ECS.AmazonECSException', when: 'generic ECS API error (throttling, capacity)' },
    {
      name: 'ECS.InvalidParameterException',
      when: 'a RunTask parameter was rejected (bad subnet, missing network configuration…)',
    },
    { name: 'ECS.ClientException', when: 'the request was invalid for this account or resource' },
    { name: 'ECS.ClusterNotFoundException', when: 'the cluster does not exist' },
    { name: 'ECS.ServerException', when: 'ECS server-side error' },
    { name: 'ECS.AccessDeniedException', when: 'ECS refused the call' },
    { name: 'ECS.PlatformUnknownException', when: 'unknown Fargate platform version' },
    {
      name: 'ECS.PlatformTaskDefinitionIncompatibilityException',
      when: 'the task definition does not fit the platform',
    },
    { name: 'ECS.UnsupportedFeatureException', when: 'the feature is not available in this region' },
    { name: 'ECS.BlockedException', when: 'the account is blocked' },
    { name: 'ECS.ConflictException', when: 'ClientToken reused with other parameters' },
    {
      name: 'States.Timeout',
      when: 'TimeoutSeconds or HeartbeatSeconds elapsed (a missed heartbeat is reported as States.Timeout)',
    },
    { name: 'States.Permissions', when: 'the state machine role lacks the permissions listed for this state' },
  ],
  output: {
    requestResponse: RR_OUTPUT,
    sync: SYNC_OUTPUT,
    waitForTaskToken: 'Exactly the JSON sent as `output` in SendTaskSuccess.',
  },
  iam: (params, pattern, ctx) => {
    try {
      return runTaskIam(params, pattern, ctx);
    } catch {
      return [];
    }
  },
  notes:
    'If the task definition has a task role or an execution role, the state machine role also needs `iam:PassRole` on ' +
    'those roles; they are not visible in the state machine, so add them yourself.',
};

/** Every ECS action this catalogue knows. */
export const ECS_ACTIONS: IntegrationAction[] = [ecsRunTask];
