/**
 * The in-memory Step Functions service behind `asl-workbench serve`: CreateStateMachine,
 * DescribeStateMachine, UpdateStateMachine, ListStateMachines, DeleteStateMachine, versions and
 * aliases (versions.ts), StartExecution (a `#TestCase` suffix on the state machine ARN selects a
 * mock test case, as in Step Functions Local), StartSyncExecution, DescribeExecution,
 * GetExecutionHistory, StopExecution, RedriveExecution, ListExecutions, the Map Runs of
 * Distributed Maps (mapRuns.ts) and the callback operations. Dates are epoch seconds, as AWS JSON 1.0 sends them.
 */
import { analyze, enforceValidation, type Analysis } from '../../../asl/src/analyze';
import { InvalidDefinitionError } from '../../../asl/src/validation';
import { startExecution, type Resume, type StartedExecution } from '../api';
import type { MockConfig } from '../drivers/mock/mockConfig';
import type { CallbackEndpointInfo, LocalRunConfig, TaskDriver } from '../drivers/types';
import { eventToWire } from '../history';
import { HISTORY_EVENTS_LIMIT, PAYLOAD_LIMIT } from '../../../asl/src/quotas';
import { REDRIVABLE_STATUSES, REDRIVE_RERUNS, redrivePoint } from '../redrive';
import { MapRunStore } from './mapRuns';
import { pagePosition, pageSize, pageToken } from './paging';
import { ApiError, callbackOperations, epochSeconds as sec, requiredString, type OpHandler } from './server';
import { payloadTooLarge, TaskTokenRegistry } from './tokens';
import { VersionStore, type Revision, type VersionedMachine } from './versions';

export interface ServiceOptions {
  region?: string;
  accountId?: string;
  mockConfig?: MockConfig;
  drivers?: () => TaskDriver[];
  config?: LocalRunConfig;
  baseDir?: string;
  timeScale?: number;
  log?(line: string): void;
}

interface Machine extends VersionedMachine {
  /** `analysis` is the definition as CreateStateMachine checked it; executions run this model */
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
}

interface Exec {
  /** the run of the latest attempt (a redrive starts another on the same history) */
  started: StartedExecution;
  /** its place in the order executions started, newest highest (ListExecutions pages by it) */
  seq: number;
  input: string;
  machine: Machine;
  /** the definition and role the execution runs: its state machine's, or its version's */
  revision: Revision;
  testCase?: string;
  versionArn?: string;
  aliasArn?: string;
  redriveCount: number;
  redriveDate?: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** ListExecutions' page size when the request names none (AWS: 100). */
const LIST_EXECUTIONS_PAGE = 100;

/** Builds the operation table of the local service; `endpoint` is the server it runs behind. */
export function createService(
  options: ServiceOptions,
  endpoint: () => CallbackEndpointInfo,
): { ops: Record<string, OpHandler>; tokens: TaskTokenRegistry; executions(): StartedExecution[] } {
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '123456789012';
  const tokens = new TaskTokenRegistry();
  const machines = new Map<string, Machine>();
  const execs = new Map<string, Exec>();
  let started = 0;

  const str = (b: Record<string, unknown>, key: string, required = true): string | undefined =>
    b[key] === undefined && !required ? undefined : requiredString(b, key);
  const machineOf = (arn: string): Machine => {
    const m = machines.get(arn);
    if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  };
  const execOf = (arn: string): Exec => {
    const e = execs.get(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  };
  const versions = new VersionStore(machineOf);
  const mapRuns = new MapRunStore((arn) => execs.has(arn));
  /** `{stateMachineVersionArn}` when the request asks to publish the revision it leaves behind. */
  const published = (m: Machine, b: Record<string, unknown>): { stateMachineVersionArn?: string } =>
    b.publish === true
      ? {
          stateMachineVersionArn: versions.publish(
            m,
            typeof b.versionDescription === 'string' ? b.versionDescription : undefined,
          ).arn,
        }
      : {};

  /** Runs (or, with `resume`, redrives) the execution; its record takes the result when it ends. */
  const launch = (
    rec: Omit<Exec, 'started'> & { started?: StartedExecution },
    name: string | undefined,
    resume?: Resume,
  ): Exec => {
    const { machine: m, revision, testCase } = rec;
    let run: StartedExecution;
    try {
      run = startExecution({
        definition: revision.analysis,
        input: JSON.parse(rec.input),
        name,
        stateMachineName: m.name,
        region,
        accountId: account,
        roleArn: revision.roleArn,
        machineType: m.type,
        mockConfig: testCase !== undefined ? options.mockConfig : undefined,
        testCase,
        drivers: options.drivers?.() ?? [],
        config: options.config,
        baseDir: options.baseDir,
        timeScale: options.timeScale,
        callback: { endpoint: endpoint(), tokens },
        resume,
        onMapRun: mapRuns.listener,
        onLog: (line, source) => options.log?.(`[${m.name}/${run?.name ?? ''}] [${source ?? 'log'}] ${line}`),
      });
    } catch (e) {
      throw new ApiError('ValidationException', e instanceof Error ? e.message : String(e));
    }
    const e = Object.assign(rec, { started: run }) as Exec;
    delete e.stopDate;
    delete e.output;
    delete e.error;
    delete e.cause;
    void run.result.then((r) => {
      if (e.started !== run) return;
      e.stopDate = Date.now();
      if (r.output !== undefined) e.output = JSON.stringify(r.output);
      e.error = r.error;
      e.cause = r.cause;
    });
    execs.set(run.executionArn, e);
    return e;
  };
  /** Why RedriveExecution refuses the execution, as DescribeExecution's redriveStatusReason says it. */
  const notRedrivable = (e: Exec): string | undefined => {
    const status = e.started.status();
    if (e.machine.type === 'EXPRESS') return 'Execution of an EXPRESS state machine cannot be redriven.';
    if (!REDRIVABLE_STATUSES.has(status)) return `Execution is ${status} and cannot be redriven.`;
    if (e.started.history.length >= HISTORY_EVENTS_LIMIT) return 'Execution history event limit exceeded.';
    return undefined;
  };

  const ops: Record<string, OpHandler> = {
    ...callbackOperations(tokens),

    ...versions.ops(),

    ...mapRuns.ops(),

    CreateStateMachine(b) {
      const name = str(b, 'name')!;
      const definition = str(b, 'definition')!;
      if (!NAME_RE.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
      const type = b.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
      const analysis = checkedDefinition(definition, type);
      const arn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
      const existing = machines.get(arn);
      if (existing) {
        if (existing.definition !== definition)
          throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
        return { stateMachineArn: arn, creationDate: sec(existing.creationDate), ...published(existing, b) };
      }
      const m: Machine = {
        arn,
        name,
        definition,
        analysis,
        roleArn: typeof b.roleArn === 'string' ? b.roleArn : `arn:aws:iam::${account}:role/StepFunctionsLocal`,
        type,
        creationDate: Date.now(),
        revision: 1,
      };
      machines.set(arn, m);
      return { stateMachineArn: arn, creationDate: sec(m.creationDate), ...published(m, b) };
    },

    /** A version ARN describes that version (its definition, role and description). */
    DescribeStateMachine(b) {
      const arn = str(b, 'stateMachineArn')!;
      const { machineArn, version, alias } = versions.resolve(arn);
      if (alias)
        throw new ApiError(
          'InvalidArn',
          `Invalid Arn: '${arn}' is an alias; describe it with DescribeStateMachineAlias`,
        );
      const m = machineOf(machineArn);
      const shown = version ?? m;
      return {
        stateMachineArn: version?.arn ?? m.arn,
        name: m.name,
        status: 'ACTIVE',
        definition: shown.definition,
        roleArn: shown.roleArn,
        type: m.type,
        creationDate: sec(version?.creationDate ?? m.creationDate),
        revisionId: String(shown.revision),
        ...(version?.description !== undefined ? { description: version.description } : {}),
      };
    },

    /** Executions already started keep the definition they started with, as on AWS. */
    UpdateStateMachine(b) {
      const m = machineOf(str(b, 'stateMachineArn')!);
      const definition = str(b, 'definition', false);
      const roleArn = typeof b.roleArn === 'string' ? b.roleArn : m.roleArn;
      if ((definition !== undefined && definition !== m.definition) || roleArn !== m.roleArn) {
        if (definition !== undefined) {
          m.analysis = checkedDefinition(definition, m.type);
          m.definition = definition;
        }
        m.roleArn = roleArn;
        m.revision++;
      }
      return { updateDate: sec(Date.now()), revisionId: String(m.revision), ...published(m, b) };
    },

    ListStateMachines() {
      return {
        stateMachines: [...machines.values()].map((m) => ({
          stateMachineArn: m.arn,
          name: m.name,
          type: m.type,
          creationDate: sec(m.creationDate),
        })),
      };
    },

    DeleteStateMachine(b) {
      const arn = str(b, 'stateMachineArn')!;
      machines.delete(arn);
      versions.drop(arn);
      return {};
    },

    /** On a version or alias ARN the execution runs that version's definition. */
    StartExecution(b) {
      const full = str(b, 'stateMachineArn')!;
      const hash = full.indexOf('#');
      const arn = hash >= 0 ? full.slice(0, hash) : full;
      const testCase = hash >= 0 ? full.slice(hash + 1) : undefined;
      const { machineArn, version, alias } = versions.resolve(arn);
      const m = machineOf(machineArn);
      const name = str(b, 'name', false);
      if (name !== undefined && !NAME_RE.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
      const inputText = typeof b.input === 'string' ? b.input : '{}';
      const inputBytes = Buffer.byteLength(inputText, 'utf8');
      if (inputBytes > PAYLOAD_LIMIT) {
        const tooLarge = payloadTooLarge('input', inputBytes);
        throw new ApiError(tooLarge.type, tooLarge.message);
      }
      try {
        JSON.parse(inputText);
      } catch {
        throw new ApiError(
          'InvalidExecutionInput',
          `Invalid State Machine Execution Input: '${inputText.slice(0, 200)}'`,
        );
      }
      if (name && execs.has(`arn:aws:states:${region}:${account}:execution:${m.name}:${name}`)) {
        throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${name}'`);
      }
      if (testCase !== undefined && !options.mockConfig)
        throw new ApiError(
          'ValidationException',
          `No mock config is loaded, so the test case '${testCase}' cannot be used (start serve with --mock-config).`,
        );
      const e = launch(
        {
          seq: ++started,
          input: inputText,
          machine: m,
          revision: version ?? m,
          testCase,
          versionArn: version?.arn,
          aliasArn: alias?.arn,
          redriveCount: 0,
        },
        name,
      );
      return { executionArn: e.started.executionArn, startDate: sec(e.started.startDate.getTime()) };
    },

    /**
     * Runs the execution again from REDRIVE_RERUNS (redrive.ts) on the same ARN and history,
     * after an ExecutionRedriven event.
     */
    RedriveExecution(b) {
      const e = execOf(str(b, 'executionArn')!);
      const why = notRedrivable(e);
      if (why) throw new ApiError('ExecutionNotRedrivable', `${why} '${e.started.executionArn}'`);
      const topLevel = new Set(e.revision.analysis.model.root?.states.keys() ?? []);
      const redriveCount = e.redriveCount + 1;
      const point = redrivePoint(e.started.history, topLevel, JSON.parse(e.input));
      options.log?.(
        `[${e.machine.name}/${e.started.name}] [runner] redrive ${redriveCount}: runs ${REDRIVE_RERUNS} (${point.startAt ?? 'StartAt'}) again`,
      );
      launch(e, e.started.name, {
        ...point,
        history: e.started.history,
        redriveCount,
        startTime: e.started.startDate.toISOString(),
      });
      e.redriveCount = redriveCount;
      e.redriveDate = Date.now();
      return { redriveDate: sec(e.redriveDate) };
    },

    /** Express machines: runs to the end and answers with the result (AWS StartSyncExecution). */
    async StartSyncExecution(b) {
      const started = ops.StartExecution(b) as { executionArn: string };
      const e = execs.get(started.executionArn)!;
      const r = await e.started.result;
      const out: Record<string, unknown> = {
        executionArn: r.executionArn,
        stateMachineArn: e.started.stateMachineArn,
        name: e.started.name,
        startDate: sec(e.started.startDate.getTime()),
        stopDate: sec(Date.now()),
        status: r.status,
        input: e.input,
        inputDetails: { included: true },
      };
      if (r.output !== undefined) {
        out.output = JSON.stringify(r.output);
        out.outputDetails = { included: true };
      }
      if (r.error !== undefined) out.error = r.error;
      if (r.cause !== undefined) out.cause = r.cause;
      return out;
    },

    DescribeExecution(b) {
      const e = execOf(str(b, 'executionArn')!);
      const s = e.started;
      const out: Record<string, unknown> = {
        executionArn: s.executionArn,
        stateMachineArn: s.stateMachineArn,
        name: s.name,
        status: s.status(),
        startDate: sec(s.startDate.getTime()),
        input: e.input,
        inputDetails: { included: true },
        redriveCount: e.redriveCount,
      };
      if (e.versionArn) out.stateMachineVersionArn = e.versionArn;
      if (e.aliasArn) out.stateMachineAliasArn = e.aliasArn;
      if (e.redriveDate !== undefined) out.redriveDate = sec(e.redriveDate);
      const why = notRedrivable(e);
      out.redriveStatus = why ? 'NOT_REDRIVABLE' : 'REDRIVABLE';
      if (why) out.redriveStatusReason = why;
      if (e.stopDate !== undefined) out.stopDate = sec(e.stopDate);
      if (e.output !== undefined) {
        out.output = e.output;
        out.outputDetails = { included: true };
      }
      if (e.error !== undefined) out.error = e.error;
      if (e.cause !== undefined) out.cause = e.cause;
      return out;
    },

    GetExecutionHistory(b) {
      const arn = str(b, 'executionArn')!;
      const e = execOf(arn);
      const reverse = b.reverseOrder === true;
      let events = e.started.history.map(eventToWire);
      if (reverse) events = events.reverse();
      const scope = [arn, reverse];
      const start =
        b.nextToken == null
          ? 0
          : pagePosition(b.nextToken, scope, events.length, "this execution's history in this order");
      const max = pageSize(b, 1000);
      const page = events.slice(start, start + max);
      return start + max < events.length
        ? { events: page, nextToken: pageToken(scope, start + max) }
        : { events: page };
    },

    StopExecution(b) {
      const e = execOf(str(b, 'executionArn')!);
      e.started.stop(
        typeof b.error === 'string' ? b.error : undefined,
        typeof b.cause === 'string' ? b.cause : undefined,
      );
      return { stopDate: sec(Date.now()) };
    },

    /** Newest first; a version or alias ARN lists the executions started on it. */
    ListExecutions(b) {
      const arn = str(b, 'stateMachineArn')!;
      const { machineArn } = versions.resolve(arn);
      const filter = typeof b.statusFilter === 'string' ? b.statusFilter : undefined;
      const scope = [arn, filter ?? null];
      const before = b.nextToken == null ? Infinity : pagePosition(b.nextToken, scope, started, 'these executions');
      const max = pageSize(b, LIST_EXECUTIONS_PAGE);
      const list: Exec[] = [];
      let more = false;
      for (const e of [...execs.values()].reverse()) {
        if (e.seq >= before || e.started.stateMachineArn !== machineArn) continue;
        if (arn !== machineArn && e.versionArn !== arn && e.aliasArn !== arn) continue;
        if (filter && e.started.status() !== filter) continue;
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(e);
      }
      const executions = list.map((e) => {
        const x: Record<string, unknown> = {
          executionArn: e.started.executionArn,
          stateMachineArn: machineArn,
          name: e.started.name,
          status: e.started.status(),
          startDate: sec(e.started.startDate.getTime()),
          redriveCount: e.redriveCount,
        };
        if (e.stopDate !== undefined) x.stopDate = sec(e.stopDate);
        if (e.redriveDate !== undefined) x.redriveDate = sec(e.redriveDate);
        if (e.versionArn) x.stateMachineVersionArn = e.versionArn;
        if (e.aliasArn) x.stateMachineAliasArn = e.aliasArn;
        return x;
      });
      return more ? { executions, nextToken: pageToken(scope, list.at(-1)!.seq) } : { executions };
    },
  };
  return { ops, tokens, executions: () => [...execs.values()].map((e) => e.started) };
}

/** The definition's analysis; refused as AWS refuses it (InvalidDefinition), with the list every entry point gives. */
function checkedDefinition(definition: string, type: 'STANDARD' | 'EXPRESS'): Analysis {
  const analysis = analyze(definition, 'json', { machineType: type });
  try {
    enforceValidation(analysis, 'refuse');
  } catch (e) {
    if (e instanceof InvalidDefinitionError)
      throw new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${e.message}'`);
    throw e;
  }
  return analysis;
}
