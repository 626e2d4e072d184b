/**
 * Runs one test case (asl/src/testing/testFile.ts) through the programmatic API and checks
 * its expectations. Mocked states answer from the case's mocks (the mock driver of Step
 * Functions Local's mock config); states marked `real` run with the default drivers; a Task
 * state that is neither fails the case instead of starting containers nobody asked for.
 *
 * An execution observer (the interface the debugger uses) sees every state run in every
 * thread — Parallel branches, Map iterations and Distributed Map child executions — so the
 * case's path, each state's input, output and effective parameters, and the transitions
 * taken for coverage come from one place.
 */
import type { Analysis } from '../../../asl/src/analyze';
import { StatesError } from '../../../asl/src/types';
import { checkPath, checkValue, type Mismatch } from '../../../asl/src/testing/compare';
import { emptyObservations, transitionKey, type ExitKind, type Observations } from '../../../asl/src/testing/coverage';
import { REAL_TASK, type Expectations, type TestCase } from '../../../asl/src/testing/testFile';
import { mockConfigOfCase } from '../../../asl/src/testing/toMockConfig';
import { runExecution } from '../api';
import { defaultDrivers } from '../drivers/defaults';
import { resolveDriver } from '../drivers/registry';
import type { LocalRunConfig, TaskDriver } from '../drivers/types';
import type { ExecutionObserver } from '../interpreter/types';

/** The error of a Task state that a case reaches without a mock for it (local, not an AWS error). */
export const NOT_MOCKED_ERROR = 'AslWorkbench.NotMocked';

/** The result of one case. */
export interface CaseOutcome {
  name: string;
  line: number;
  passed: boolean;
  mismatches: Mismatch[];
  status?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  durationMs: number;
  observations: Observations;
}

export interface CaseContext {
  /** the machine, analysed (the run neither parses nor validates it again) */
  analysis: Analysis;
  stateMachineName: string;
  config?: LocalRunConfig;
  baseDir?: string;
}

/** One run of a state: what the observer saw. */
export interface Visit {
  input: unknown;
  output?: unknown;
  parameters?: unknown;
}

const CATCHING_TYPES = new Set(['Task', 'Map', 'Parallel']);

/** What a case's checks read of a run: the top-level path and each state's visits. */
export interface Watched {
  path: string[];
  visits: Map<string, Visit[]>;
}

/** Watches an execution: root path, visits by state, and coverage hits. */
export function caseWatcher(): Watched & { observer: ExecutionObserver; obs: Observations } {
  const path: string[] = [];
  const visits = new Map<string, Visit[]>();
  const obs = emptyObservations();
  let root: unknown;
  const observer: ExecutionObserver = {
    thread: (_scope, frame, run) => {
      root ??= frame;
      return run();
    },
    state: (visit, run) => {
      const { state } = visit;
      const name = state.name;
      const seen: Visit = { input: visit.input };
      let list = visits.get(name);
      if (!list) visits.set(name, (list = []));
      list.push(seen);
      if (visit.frame === root) path.push(name);
      obs.states[name] = (obs.states[name] ?? 0) + 1;
      const stages = (): void => {
        const s = visit.ctx?.stages;
        if (s) seen.parameters = 'Arguments' in s ? s.Arguments : s.Parameters;
      };
      const exit = (out: Awaited<ReturnType<typeof run>>): typeof out => {
        stages();
        seen.output = out.output;
        const next = out.next === undefined ? state.following : out.next;
        if (next !== null) {
          const kind: ExitKind =
            state.type === 'Choice' ? 'choice' : out.next && CATCHING_TYPES.has(state.type) ? 'catch' : 'next';
          const key = transitionKey(name, kind, typeof next === 'string' ? next : next.name);
          obs.transitions[key] = (obs.transitions[key] ?? 0) + 1;
        }
        return out;
      };
      let r: ReturnType<typeof run>;
      try {
        r = run();
      } catch (e) {
        stages();
        throw e;
      }
      return r instanceof Promise
        ? r.then(exit, (e: unknown) => {
            stages();
            throw e;
          })
        : exit(r);
    },
    attemptFailed: async () => undefined,
  };
  return { observer, path, visits, obs };
}

/**
 * The driver every Task state without a mock reaches: runs the states marked `real` with the
 * default drivers, and fails the others with NOT_MOCKED_ERROR, noting their names.
 */
export function gate(real: Set<string>, unmocked: Set<string>): TaskDriver {
  let drivers: TaskDriver[] | undefined;
  return {
    name: 'test',
    canHandle: () => true,
    invoke: async (inv) => {
      if (!real.has(inv.stateName)) {
        unmocked.add(inv.stateName);
        throw new StatesError(
          NOT_MOCKED_ERROR,
          `The test case has no mock for the Task state '${inv.stateName}'; add one under "mocks", or "${inv.stateName}: ${REAL_TASK}" to run it with containers.`,
        );
      }
      drivers ??= defaultDrivers().create();
      const driver = resolveDriver(drivers, inv.resource, inv.config);
      if (!driver) throw new StatesError('States.Runtime', `No local driver runs the resource of '${inv.stateName}'.`);
      return driver.invoke(inv);
    },
    disposeExecution: async (arn) => {
      await Promise.all((drivers ?? []).map((d) => d.disposeExecution?.(arn)));
    },
  };
}

/** Runs `tc` and checks it; never rejects (a run that cannot start is a failed case). */
export async function runTestCase(tc: TestCase, ctx: CaseContext): Promise<CaseOutcome> {
  const started = Date.now();
  const watched = caseWatcher();
  const { observer, obs } = watched;
  const { config: mockConfig, real } = mockConfigOfCase(tc, ctx.stateMachineName);
  const unmocked = new Set<string>();
  const outcome = (mismatches: Mismatch[], extra: Partial<CaseOutcome> = {}): CaseOutcome => ({
    name: tc.name,
    line: tc.line,
    passed: mismatches.length === 0,
    mismatches,
    durationMs: Date.now() - started,
    observations: obs,
    ...extra,
  });
  let r;
  try {
    r = await runExecution({
      definition: ctx.analysis,
      input: tc.input,
      stateMachineName: ctx.stateMachineName,
      name: tc.name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80) || 'test',
      mockConfig,
      testCase: tc.name,
      drivers: [gate(new Set(real), unmocked)],
      config: ctx.config,
      baseDir: ctx.baseDir,
      timeScale: 0,
      observer,
    });
  } catch (e) {
    return outcome([{ subject: 'run', at: '', note: (e as Error).message }]);
  }
  return outcome(checkCase(tc.expect, r, watched, unmocked), {
    status: r.status,
    output: r.output,
    error: r.error,
    cause: r.cause,
  });
}

/** How an execution ended, as a case's checks read it. */
export interface EndedRun {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

/**
 * The mismatches of a run against a case's expectations; `unmocked` names the Task states the
 * run reached without a mock (the `gate`).
 */
export function checkCase(e: Expectations, r: EndedRun, watched: Watched, unmocked: Set<string>): Mismatch[] {
  const { path, visits } = watched;
  const mismatches: Mismatch[] = [];
  for (const state of unmocked)
    mismatches.push({ subject: `states.${state}`, at: '', note: `reached without a mock (add it under "mocks")` });
  if (r.status !== e.status) {
    const why = r.error !== undefined ? ` (${r.error}${r.cause ? `: ${r.cause}` : ''})` : '';
    mismatches.push({
      subject: 'status',
      at: '',
      expected: e.status,
      actual: r.status,
      note: `ended ${r.status}${why}`,
    });
  }
  if (e.output) mismatches.push(...checkValue(e.output, r.output, 'output'));
  if (e.error !== undefined && e.error !== r.error)
    mismatches.push({ subject: 'error', at: '', expected: e.error, actual: r.error });
  if (e.cause !== undefined && e.cause !== r.cause)
    mismatches.push({ subject: 'cause', at: '', expected: e.cause, actual: r.cause });
  if (e.path) mismatches.push(...checkPath(e.path, path));
  for (const [state, x] of Object.entries(e.states)) {
    const seen = visits.get(state) ?? [];
    const v = seen[x.visit];
    if (!v) {
      mismatches.push({
        subject: `states.${state}`,
        at: '',
        note: seen.length ? `ran ${seen.length} time(s); visit ${x.visit} does not exist` : 'did not run',
      });
      continue;
    }
    const label = x.visit ? `states.${state}[${x.visit}]` : `states.${state}`;
    if (x.input) mismatches.push(...checkValue(x.input, v.input, `${label}.input`));
    if (x.output) mismatches.push(...checkValue(x.output, v.output, `${label}.output`));
    if (x.parameters) mismatches.push(...checkValue(x.parameters, v.parameters, `${label}.parameters`));
  }
  return mismatches;
}
