/**
 * The in-memory Step Functions service behind `asl-workbench serve`: CreateStateMachine,
 * DescribeStateMachine, UpdateStateMachine, ListStateMachines, DeleteStateMachine, StartExecution (a
 * `#TestCase` suffix on the state machine ARN selects a mock test case, as in Step Functions
 * Local), StartSyncExecution, DescribeExecution, GetExecutionHistory, StopExecution, ListExecutions and the
 * callback operations. Dates are epoch seconds, as AWS JSON 1.0 sends them.
 */
import { analyze, enforceValidation, type Analysis } from '../../../asl/src/analyze';
import { InvalidDefinitionError } from '../../../asl/src/validation';
import { startExecution, type StartedExecution } from '../api';
import type { MockConfig } from '../drivers/mock/mockConfig';
import type { CallbackEndpointInfo, LocalRunConfig, TaskDriver } from '../drivers/types';
import { eventToWire } from '../history';
import { PAYLOAD_LIMIT } from '../../../asl/src/quotas';
import { ApiError, callbackOperations, type OpHandler } from './server';
import { payloadTooLarge, TaskTokenRegistry } from './tokens';

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

interface Machine {
  arn: string;
  name: string;
  definition: string;
  /** the definition as CreateStateMachine checked it; executions run this model */
  analysis: Analysis;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
}

interface Exec {
  started: StartedExecution;
  input: string;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const sec = (ms: number): number => ms / 1000;

/** The nextToken of a GetExecutionHistory page: where the next page starts, for this execution and order only. */
function historyToken(executionArn: string, reverse: boolean, offset: number): string {
  return Buffer.from(JSON.stringify([executionArn, reverse, offset])).toString('base64url');
}

/** The offset a nextToken stands for; a token this service did not hand out for this request is InvalidToken. */
function historyOffset(token: unknown, executionArn: string, reverse: boolean, length: number): number {
  let v: unknown;
  try {
    v =
      typeof token === 'string' && token.length <= 1024
        ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
        : undefined;
  } catch {
    v = undefined;
  }
  if (
    Array.isArray(v) &&
    v.length === 3 &&
    v[0] === executionArn &&
    v[1] === reverse &&
    Number.isInteger(v[2]) &&
    v[2] > 0 &&
    v[2] <= length
  )
    return v[2] as number;
  throw new ApiError(
    'InvalidToken',
    `Invalid Token: '${String(token).slice(0, 64)}' is not a nextToken of this execution's history in this order`,
  );
}

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

  const str = (b: Record<string, unknown>, key: string, required = true): string | undefined => {
    const v = b[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || !v)
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must not be null`,
      );
    return v;
  };
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

  const ops: Record<string, OpHandler> = {
    ...callbackOperations(tokens),

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
        return { stateMachineArn: arn, creationDate: sec(existing.creationDate) };
      }
      const m: Machine = {
        arn,
        name,
        definition,
        analysis,
        roleArn: typeof b.roleArn === 'string' ? b.roleArn : `arn:aws:iam::${account}:role/StepFunctionsLocal`,
        type,
        creationDate: Date.now(),
      };
      machines.set(arn, m);
      return { stateMachineArn: arn, creationDate: sec(m.creationDate) };
    },

    DescribeStateMachine(b) {
      const m = machineOf(str(b, 'stateMachineArn')!);
      return {
        stateMachineArn: m.arn,
        name: m.name,
        status: 'ACTIVE',
        definition: m.definition,
        roleArn: m.roleArn,
        type: m.type,
        creationDate: sec(m.creationDate),
      };
    },

    /** Executions already started keep the definition they started with, as on AWS. */
    UpdateStateMachine(b) {
      const m = machineOf(str(b, 'stateMachineArn')!);
      const definition = str(b, 'definition', false);
      if (definition !== undefined) {
        m.analysis = checkedDefinition(definition, m.type);
        m.definition = definition;
      }
      if (typeof b.roleArn === 'string') m.roleArn = b.roleArn;
      return { updateDate: sec(Date.now()) };
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
      machines.delete(str(b, 'stateMachineArn')!);
      return {};
    },

    StartExecution(b) {
      const full = str(b, 'stateMachineArn')!;
      const hash = full.indexOf('#');
      const arn = hash >= 0 ? full.slice(0, hash) : full;
      const testCase = hash >= 0 ? full.slice(hash + 1) : undefined;
      const m = machineOf(arn);
      const name = str(b, 'name', false);
      if (name !== undefined && !NAME_RE.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
      const inputText = typeof b.input === 'string' ? b.input : '{}';
      const inputBytes = Buffer.byteLength(inputText, 'utf8');
      if (inputBytes > PAYLOAD_LIMIT) {
        const tooLarge = payloadTooLarge('input', inputBytes);
        throw new ApiError(tooLarge.type, tooLarge.message);
      }
      let input: unknown;
      try {
        input = JSON.parse(inputText);
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
      let started: StartedExecution;
      try {
        started = startExecution({
          definition: m.analysis,
          input,
          name,
          stateMachineName: m.name,
          region,
          accountId: account,
          roleArn: m.roleArn,
          machineType: m.type,
          mockConfig: testCase !== undefined ? options.mockConfig : undefined,
          testCase,
          drivers: options.drivers?.() ?? [],
          config: options.config,
          baseDir: options.baseDir,
          timeScale: options.timeScale,
          callback: { endpoint: endpoint(), tokens },
          onLog: (line, source) => options.log?.(`[${m.name}/${started?.name ?? ''}] [${source ?? 'log'}] ${line}`),
        });
      } catch (e) {
        throw new ApiError('ValidationException', e instanceof Error ? e.message : String(e));
      }
      const rec: Exec = { started, input: inputText };
      execs.set(started.executionArn, rec);
      void started.result.then((r) => {
        rec.stopDate = Date.now();
        if (r.output !== undefined) rec.output = JSON.stringify(r.output);
        rec.error = r.error;
        rec.cause = r.cause;
      });
      return { executionArn: started.executionArn, startDate: sec(started.startDate.getTime()) };
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
        redriveCount: 0,
      };
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
      const start = b.nextToken == null ? 0 : historyOffset(b.nextToken, arn, reverse, events.length);
      const max = typeof b.maxResults === 'number' && b.maxResults > 0 ? Math.min(b.maxResults, 1000) : 1000;
      const page = events.slice(start, start + max);
      return start + max < events.length
        ? { events: page, nextToken: historyToken(arn, reverse, start + max) }
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

    ListExecutions(b) {
      const arn = str(b, 'stateMachineArn')!;
      machineOf(arn);
      const filter = typeof b.statusFilter === 'string' ? b.statusFilter : undefined;
      const list = [...execs.values()]
        .filter((e) => e.started.stateMachineArn === arn && (!filter || e.started.status() === filter))
        .reverse()
        .map((e) => {
          const x: Record<string, unknown> = {
            executionArn: e.started.executionArn,
            stateMachineArn: arn,
            name: e.started.name,
            status: e.started.status(),
            startDate: sec(e.started.startDate.getTime()),
          };
          if (e.stopDate !== undefined) x.stopDate = sec(e.stopDate);
          return x;
        });
      return { executions: list };
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
