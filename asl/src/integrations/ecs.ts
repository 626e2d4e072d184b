/**
 * Amazon ECS / Fargate optimized integration: `ecs:runTask` (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
 */
import type { IamContext, IamStatement, IntegrationAction, IntegrationPattern } from '../types';
import { inferred } from '../iam/sid';
import { allow, arn, field, staticObject, staticString } from './common';

/** The EventBridge managed rule Step Functions uses to learn that a `.sync` task stopped (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html). */
export const ECS_SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForECSTaskRule';
export const ECS_SYNC_EVENTS_ACTIONS = ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'];
/** Actions on `*` for `.sync`: the task id is unknown until RunTask returns (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html). */
export const ECS_SYNC_TASK_ACTIONS = ['ecs:StopTask', 'ecs:DescribeTasks'];
/**
 * `Tags` on RunTask needs `ecs:TagResource`
 * (https://github.com/serverless-operations/serverless-step-functions/issues/656). The tagged
 * resource is the new task, whose ARN is unknown before the call, so the statement covers every
 * task of the account. Not in AWS's template (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html): our inference
 * from user reports.
 */
export const ECS_TAG_RESOURCE = (ctx: IamContext) => arn(ctx, 'ecs', 'task/*');
/**
 * When TaskDefinition has no revision, ECS runs the latest ACTIVE one, so the policy must
 * allow any revision. (AWS's template shows `<family>:<revision>`; https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html.)
 */
export const ANY_REVISION = '*';
/** A dynamic role override can name any role of the account. */
export const ANY_ROLE = (ctx: IamContext) => `arn:${ctx.partition}:iam::${ctx.account}:role/*`;
/**
 * Roles in `Overrides` are handed to the ECS task, so PassRole on them is limited to ECS
 * tasks' service principal; that matters most for `role/*`, the resource of a role from a path.
 */
export const PASSED_TO_ECS_TASKS = { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } };
const ROLE_OVERRIDES = ['TaskRoleArn', 'ExecutionRoleArn'];

/**
 * The error names an `ecs:runTask` state fails with, besides the `States.*` ones: what the
 * validator documents (`errors` below) and what the runner's ECS driver raises.
 */
export const ECS_ERRORS = {
  /** `.sync` / `.waitForTaskToken`: RunTask answered with a non-empty `Failures` list */
  unknown: 'AmazonECS.Unknown',
  amazonEcsException: 'ECS.AmazonECSException',
  invalidParameter: 'ECS.InvalidParameterException',
  client: 'ECS.ClientException',
  clusterNotFound: 'ECS.ClusterNotFoundException',
  server: 'ECS.ServerException',
  accessDenied: 'ECS.AccessDeniedException',
  platformUnknown: 'ECS.PlatformUnknownException',
  platformTaskDefinitionIncompatibility: 'ECS.PlatformTaskDefinitionIncompatibilityException',
  unsupportedFeature: 'ECS.UnsupportedFeatureException',
  blocked: 'ECS.BlockedException',
  conflict: 'ECS.ConflictException',
} as const;

/** The roles `Overrides` passes: static ARNs, or any role when a role (or all of `Overrides`) comes from a path. */
function overrideRoles(params: unknown, ctx: IamContext): string[] {
  const overrides = field(params, 'Overrides');
  if (overrides.kind === 'dynamic') return [ANY_ROLE(ctx)];
  const value = staticObject(params, 'Overrides');
  if (!value || typeof value !== 'object') return [];
  const roles: string[] = [];
  for (const key of ROLE_OVERRIDES) {
    const f = field(value, key);
    if (f.kind === 'dynamic') roles.push(ANY_ROLE(ctx));
    else if (f.kind === 'static' && typeof f.value === 'string' && f.value) roles.push(f.value);
  }
  return [...new Set(roles)];
}

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

/** IAM statements Step Functions generates for ecs:runTask (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html), plus the inferred TagResource / PassRole ones. */
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
  // AWS's template has neither statement below: TagResource comes from user reports, and the
  // page only says in prose that every role override needs iam:PassRole
  if (field(params, 'Tags').kind !== 'absent') out.push(inferred(allow(['ecs:TagResource'], [ECS_TAG_RESOURCE(ctx)])));
  const roles = overrideRoles(params, ctx);
  if (roles.length) out.push(inferred(allow(['iam:PassRole'], roles, PASSED_TO_ECS_TASKS)));
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
  // RunTask takes a launch type or a capacity provider strategy, never both
  // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html)
  exclusiveParameters: [['LaunchType', 'CapacityProviderStrategy']],
  // `ECS.<Exception>` names are not documented by AWS for ECS: they come from production state
  // machines; the list is RunTask's modeled exceptions. Whether a non-zero exit code of a
  // container fails a .sync task is not documented by AWS either (see SYNC_FAILS_ON_CONTAINER).
  errors: [
    {
      name: 'States.TaskFailed',
      when: '.sync: the task stopped without success (e.g. `TaskFailedToStart`); the cause is the task JSON',
    },
    {
      name: ECS_ERRORS.unknown,
      when: '.sync / .waitForTaskToken: RunTask returned HTTP 200 with a non-empty `Failures` list',
    },
    { name: ECS_ERRORS.amazonEcsException, when: 'generic ECS API error (throttling, capacity)' },
    {
      name: ECS_ERRORS.invalidParameter,
      when: 'a RunTask parameter was rejected (bad subnet, missing network configuration…)',
    },
    { name: ECS_ERRORS.client, when: 'the request was invalid for this account or resource' },
    { name: ECS_ERRORS.clusterNotFound, when: 'the cluster does not exist' },
    { name: ECS_ERRORS.server, when: 'ECS server-side error' },
    { name: ECS_ERRORS.accessDenied, when: 'ECS refused the call' },
    { name: ECS_ERRORS.platformUnknown, when: 'unknown Fargate platform version' },
    {
      name: ECS_ERRORS.platformTaskDefinitionIncompatibility,
      when: 'the task definition does not fit the platform',
    },
    { name: ECS_ERRORS.unsupportedFeature, when: 'the feature is not available in this region' },
    { name: ECS_ERRORS.blocked, when: 'the account is blocked' },
    { name: ECS_ERRORS.conflict, when: 'ClientToken reused with other parameters' },
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
