/**
 * Task state (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): one attempt = TaskScheduled → TaskStarted →
 * driver (→ TaskSubmitted) → TaskSucceeded / TaskFailed / TaskTimedOut, with
 * TimeoutSeconds counted from TaskStarted, HeartbeatSeconds reset by SendTaskHeartbeat, a
 * new task token per attempt for `.waitForTaskToken` and `.sync`, and Retry/Catch around it.
 */
import { NOT_TRUNCATED } from '../../history';
import type { TaskState } from '../../../../asl/src/states';
import type { ParsedResource } from '../../../../asl/src/types';
import type { TaskDriver, TaskInvocation } from '../../drivers/types';
import type { StateMock } from '../../problems';
import type { TokenHandlers } from '../../callback/tokens';
import { resolveDriver } from '../../drivers/registry';
import { Aborted, Failure, toFailure } from '../errors';
import { checkResultSize, checkSize, payload, payloadPlan, safeStringify } from '../evaluate';
import { bindings, effectiveInput, evalField, jpScope, jsonataFinish, jsonPathFinish } from '../io';
import { resolveNumberField } from '../numberField';
import { withRetry } from '../retry';
import { childAbort } from '../abort';
import type { StateCtx, StepOut } from '../types';

/** History `resourceType` / `resource` of a Resource; `style` names non-Task event families. */
export interface HistoryResource {
  resourceType: string;
  resource: string;
  style?: 'LambdaFunction' | 'Activity';
}

/** History `resourceType` / `resource` for a Resource ARN (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html). */
export function historyResource(raw: string): HistoryResource {
  const m = /^arn:[^:]+:states:::(.+)$/.exec(raw);
  if (m) {
    const rest = m[1]!;
    if (rest.startsWith('aws-sdk:')) {
      const i = rest.indexOf(':', 8);
      return i > 0
        ? { resourceType: rest.slice(0, i), resource: rest.slice(i + 1) }
        : { resourceType: rest, resource: '' };
    }
    const i = rest.indexOf(':');
    return i > 0
      ? { resourceType: rest.slice(0, i), resource: rest.slice(i + 1) }
      : { resourceType: rest, resource: '' };
  }
  if (/^arn:[^:]+:lambda:/.test(raw)) return { resourceType: 'lambda', resource: raw, style: 'LambdaFunction' };
  if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(raw))
    return { resourceType: 'activity', resource: raw, style: 'Activity' };
  return { resourceType: 'unknown', resource: raw };
}

/** AslWorkbench.NoDriver: names the resource and shows how to mock the state. */
function noDriverFailure(stateName: string, machineName: string, raw: string): Failure {
  const mock: StateMock = {
    StateMachines: { [machineName]: { TestCases: { HappyPath: { [stateName]: 'MockedSuccess' } } } },
    MockedResponses: { MockedSuccess: { '0': { Return: {} } } },
  };
  const cause =
    `No local driver can run the resource '${raw}' of state '${stateName}'. ` +
    `Configure a driver for it (asl-workbench.run.json) or mock the state with a Step Functions Local mock config ` +
    `(--mock-config <file> --test-case HappyPath, or mock-config.json next to the machine), e.g. ${JSON.stringify(mock)}`;
  return new Failure('AslWorkbench.NoDriver', cause, false, { kind: 'noDriver', stateName, resource: raw, mock });
}

/** The details of a task's failure event: AWS's error and cause, and asl-workbench's `problem` when there is one. */
function failedDetails(f: Failure): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (f.error !== undefined) d.error = f.error;
  if (f.causeText !== undefined) d.cause = f.causeText;
  if (f.problem) d.problem = f.problem;
  return d;
}

type TokenBox = { handlers?: TokenHandlers };

type TaskEventKind = 'Scheduled' | 'Started' | 'Submitted' | 'Succeeded' | 'Failed' | 'TimedOut';

/**
 * Records a task event in the style AWS uses for the resource: `Task*` for service
 * integrations, `LambdaFunction*` for a bare Lambda ARN, `Activity*` for an activity ARN
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html HistoryEventType). `d` holds the Task-style details.
 */
function taskEvent(
  ctx: StateCtx<'Task'>,
  kind: TaskEventKind,
  hr: HistoryResource,
  d: Record<string, unknown> = {},
): void {
  const { rt, frame } = ctx;
  const prefix = hr.style;
  if (!prefix) {
    rt.event(frame, `Task${kind}`, { resourceType: hr.resourceType, resource: hr.resource, ...d });
    return;
  }
  let details: Record<string, unknown> | undefined;
  if (kind === 'Scheduled') {
    details = { resource: hr.resource, input: d.parameters, inputDetails: NOT_TRUNCATED };
    if (d.timeoutInSeconds !== undefined) details.timeoutInSeconds = d.timeoutInSeconds;
    if (prefix === 'Activity' && d.heartbeatInSeconds !== undefined) details.heartbeatInSeconds = d.heartbeatInSeconds;
  } else if (kind === 'Started') details = prefix === 'Activity' ? { workerName: 'asl-workbench' } : undefined;
  else if (kind === 'Submitted') return;
  else {
    details = { ...d };
  }
  rt.event(frame, `${prefix}${kind}`, details);
}

export function task(ctx: StateCtx<'Task'>): Promise<StepOut> {
  return withRetry(ctx, (retryCount) => attempt(ctx, retryCount));
}

async function attempt(ctx: StateCtx<'Task'>, retryCount: number): Promise<StepOut> {
  const { def, rt, name } = ctx;
  const raw = typeof def.Resource === 'string' ? def.Resource : '';
  const resource = rt.resource(raw);
  const hr = historyResource(raw);
  // handlers are filled in by invoke() before the driver (the only holder of the token) runs
  const tokenBox: TokenBox = {};
  let token: string | undefined;
  if (resource.pattern !== 'requestResponse') {
    token = rt.opts.tokens.issue({
      success: (o) => tokenBox.handlers?.success(o),
      failure: (e, c) => tokenBox.handlers?.failure(e, c),
      heartbeat: () => tokenBox.handlers?.heartbeat(),
    });
  }
  try {
    const context = rt.context(ctx, retryCount, token);
    let params: unknown;
    let effective: unknown = ctx.input;
    if (ctx.ql === 'JSONata') {
      const b = bindings(ctx, context);
      // without Arguments the task gets the state input, like JSONPath without Parameters
      params = def.Arguments !== undefined ? await evalField(ctx, 'Arguments', def.Arguments, b) : ctx.input;
    } else {
      effective = effectiveInput(ctx, context);
      const scope = jpScope(ctx, effective, context);
      params = ctx.state.payloads.Parameters ? payloadPlan(ctx.state.payloads.Parameters, scope) : effective;
    }
    const timeout = await resolveNumberField(ctx, def, 'TimeoutSeconds', effective, context);
    const heartbeat = await resolveNumberField(ctx, def, 'HeartbeatSeconds', effective, context);
    if (ctx.stages) ctx.stages[ctx.ql === 'JSONata' ? 'Arguments' : 'Parameters'] = params;
    const paramsJson = safeStringify(params);
    checkSize(paramsJson, 'input to the task', name);
    const scheduled: Record<string, unknown> = { ...hr, region: rt.opts.region, parameters: paramsJson };
    if (typeof timeout === 'number') scheduled.timeoutInSeconds = timeout;
    if (typeof heartbeat === 'number') scheduled.heartbeatInSeconds = heartbeat;
    const roleArn = await credentialsRole(ctx, def.Credentials, effective, context);
    if (roleArn !== undefined) scheduled.taskCredentials = { roleArn };
    taskEvent(ctx, 'Scheduled', hr, scheduled);
    taskEvent(ctx, 'Started', hr);
    const driver = pickDriver(ctx, resource);
    if (!driver) {
      const f = noDriverFailure(name, rt.opts.stateMachineName, raw);
      taskEvent(ctx, 'Failed', hr, failedDetails(f));
      throw f;
    }
    const result = await invoke(ctx, driver, resource, hr, params, retryCount, token, tokenBox, timeout, heartbeat);
    if (ctx.ql === 'JSONata')
      return await jsonataFinish(ctx, bindings(ctx, context, { result }), result, def.Output, def.Assign);
    return jsonPathFinish(ctx, context, result, ctx.state.payloads.ResultSelector);
  } finally {
    if (token) rt.opts.tokens.close(token, 'done');
  }
}

/** Credentials.RoleArn (constant, `RoleArn.$` path/intrinsic, or JSONata) echoed in TaskScheduled. */
async function credentialsRole(
  ctx: StateCtx<'Task'>,
  creds: TaskState['Credentials'],
  effective: unknown,
  context: unknown,
): Promise<string | undefined> {
  if (!creds || typeof creds !== 'object') return undefined;
  let v: unknown;
  if (ctx.ql === 'JSONata')
    v =
      creds.RoleArn !== undefined
        ? await evalField(ctx, 'Credentials', creds.RoleArn, bindings(ctx, context))
        : undefined;
  else v = (payload(creds, jpScope(ctx, effective, context)) as { RoleArn?: unknown }).RoleArn;
  return typeof v === 'string' ? v : undefined;
}

function pickDriver(ctx: StateCtx<'Task'>, resource: ParsedResource): TaskDriver | undefined {
  const { mock, drivers, config } = ctx.rt.opts;
  if (mock && mock.handlesState(ctx.name)) return mock;
  return resolveDriver(drivers, resource, config);
}

/** Races the driver, the callback token, the timers and the abort signal. */
async function invoke(
  ctx: StateCtx<'Task'>,
  driver: TaskDriver,
  resource: ParsedResource,
  hr: HistoryResource,
  params: unknown,
  retryCount: number,
  token: string | undefined,
  tokenBox: TokenBox,
  timeout: number | undefined,
  heartbeat: number | undefined,
): Promise<unknown> {
  const { rt, frame, name } = ctx;
  const { controller, release } = childAbort(frame.signal);
  // the callback endpoint (started, and announced in the log, on first use) only for tasks that
  // can call it: .waitForTaskToken, or a task whose parameters pass its token on
  const canCallBack =
    !!token && (resource.pattern === 'waitForTaskToken' || (JSON.stringify(params) ?? '').includes(token));
  const callback = driver === rt.opts.mock || !canCallBack ? undefined : await rt.opts.callback?.();
  const inv: TaskInvocation = {
    executionArn: rt.opts.executionArn,
    executionName: rt.opts.executionName,
    stateMachineName: rt.opts.stateMachineName,
    region: rt.opts.region,
    accountId: rt.opts.accountId,
    stateName: name,
    attempt: retryCount + 1,
    resource,
    parameters: params,
    taskToken: token,
    timeoutSeconds: timeout,
    heartbeatSeconds: heartbeat,
    signal: controller.signal,
    log: (line, source) => rt.opts.log(line, source ?? name),
    config: rt.opts.config,
    baseDir: rt.opts.baseDir,
    callback,
  };
  const clock = rt.opts.clock;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    let cancelTimeout = (): void => {};
    let cancelHeartbeat = (): void => {};
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      cancelTimeout();
      cancelHeartbeat();
      frame.signal.removeEventListener('abort', onAbort);
      release();
      try {
        fn();
      } catch (e) {
        // recording the event failed (history limit): the attempt still has to settle
        reject(e);
      }
    };
    const succeed = (output: unknown, outputText?: string): void =>
      finish(() => {
        const text = outputText ?? safeStringify(output);
        try {
          // AWS names the resource type of an integration, the ARN of a Lambda function or activity
          checkResultSize(text, hr.style ? hr.resource : hr.resourceType);
        } catch (e) {
          const f = toFailure(e);
          f.taskResult = true;
          taskEvent(ctx, 'Failed', hr, failedDetails(f));
          reject(f);
          return;
        }
        taskEvent(ctx, 'Succeeded', hr, { output: text, outputDetails: NOT_TRUNCATED });
        resolve(output);
      });
    const failed = (f: Failure): void =>
      finish(() => {
        taskEvent(ctx, 'Failed', hr, failedDetails(f));
        reject(f);
      });
    const timedOut = (isHeartbeat: boolean): void =>
      finish(() => {
        controller.abort();
        if (token) rt.opts.tokens.close(token, 'timedout');
        // heartbeat expiry is reported as States.Timeout too (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html)
        taskEvent(ctx, 'TimedOut', hr, { error: 'States.Timeout' });
        reject(new Failure('States.Timeout', undefined, isHeartbeat));
      });
    const onAbort = (): void =>
      finish(() => {
        controller.abort();
        rt.event(frame, 'TaskStateAborted');
        reject(new Aborted());
      });
    if (frame.signal.aborted) return onAbort();
    frame.signal.addEventListener('abort', onAbort, { once: true });
    if (typeof timeout === 'number' && timeout > 0)
      cancelTimeout = clock.setTimer(timeout * 1000, () => timedOut(false));
    const armHeartbeat = (): void => {
      cancelHeartbeat();
      if (typeof heartbeat === 'number' && heartbeat > 0)
        cancelHeartbeat = clock.setTimer(heartbeat * 1000, () => timedOut(true));
    };
    armHeartbeat();
    tokenBox.handlers = {
      success: (text) => succeed(JSON.parse(text), text),
      failure: (error, cause) => failed(new Failure(error, cause)),
      heartbeat: armHeartbeat,
    };
    rt.openInvocations.add(controller);
    const closed = (): void => void rt.openInvocations.delete(controller);
    let call: Promise<unknown>;
    try {
      call = driver.invoke(inv).then(
        (r) => {
          if (r.kind === 'submitted' && r.completion) r.completion.then(closed, closed);
          else closed();
          if (settled) return;
          if (r.kind === 'done') return succeed(r.output);
          taskEvent(ctx, 'Submitted', hr, { output: safeStringify(r.output), outputDetails: NOT_TRUNCATED });
          if (r.completion) {
            rt.track(r.completion);
            r.completion.then(succeed, (e) => failed(toFailure(e, 'States.TaskFailed')));
          } else if (resource.pattern === 'requestResponse') succeed(r.output);
          // .waitForTaskToken: the callback settles the attempt
        },
        (e) => {
          closed();
          failed(toFailure(e, 'States.TaskFailed'));
        },
      );
    } catch (e) {
      closed();
      call = Promise.resolve();
      failed(toFailure(e, 'States.TaskFailed'));
    }
    rt.track(call);
  });
}
