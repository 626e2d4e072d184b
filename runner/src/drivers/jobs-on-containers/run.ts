/**
 * eks:runJob(.sync) with no cluster: the Job runs on the container engine (ContainerJob) and
 * the state sees what a cluster would give: the created Job object, then (.sync) the final Job
 * with status and `logs.pods.<pod>.containers.<container>` (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html).
 */
import { StatesError } from '../../../../asl/src/types';
import { EngineUnavailableError, type ContainerEngine } from '../docker/engine';
import { LABELS } from '../docker/labels';
import { runnerLabels } from '../docker/leftovers';
import { IMAGE_UNAVAILABLE_ERROR, JOB_FAILED_ERROR, K8S_JOB_KIND } from '../eks/constants';
import {
  abortError,
  applyLogParameters,
  jobStatusError,
  jobImages,
  logValue,
  terminalCondition,
  type JobLogs,
  type RunJobParams,
} from '../kubernetes/shapes';
import type { DriverResult, TaskInvocation } from '../types';
import { ContainerJob } from './job';
import { validateJob } from './podSpec';

/** Per-run state the EKS driver keeps for Jobs on containers. */
export interface ContainerJobsState {
  /** "<namespace>/<name>" of every Job created in this run (a second create is EKS.409, as on a cluster) */
  names: Set<string>;
  /** Jobs per execution ARN, for abort / disposeExecution */
  byExecution: Map<string, Set<ContainerJob>>;
  /** work still settling per execution (Job runs, clean-ups) */
  pending: Map<string, Set<Promise<unknown>>>;
}

/** A fresh per-run state. */
export function newContainerJobsState(): ContainerJobsState {
  return { names: new Set(), byExecution: new Map(), pending: new Map() };
}

/** Runs a runJob / runJob.sync state's Job on the engine. */
export async function runJobOnContainers(
  engine: ContainerEngine,
  inv: TaskInvocation,
  params: RunJobParams,
  state: ContainerJobsState,
): Promise<DriverResult> {
  const name = validateJob(params.job);
  const key = `${params.namespace}/${name}`;
  if (state.names.has(key)) throw alreadyExists(name);
  try {
    await engine.ping();
  } catch (e) {
    if (e instanceof EngineUnavailableError) throw e.toStatesError();
    throw e;
  }
  await ensureImages(engine, jobImages(params.job), inv);
  if (inv.signal.aborted) throw abortError(inv.signal);
  state.names.add(key);
  const job = new ContainerJob({
    engine,
    manifest: params.job,
    name,
    namespace: params.namespace,
    labels: {
      ...runnerLabels(),
      [LABELS.kind]: K8S_JOB_KIND,
      [LABELS.execution]: inv.executionArn,
      [LABELS.state]: inv.stateName,
    },
    log: inv.log,
  });
  let set = state.byExecution.get(inv.executionArn);
  if (!set) state.byExecution.set(inv.executionArn, (set = new Set()));
  set.add(job);
  const created = { ...job.object(), status: {} };
  inv.log(`Job ${key} runs on the container engine (no cluster)`, 'jobs');

  const onAbort = () => void job.destroy();
  inv.signal.addEventListener('abort', onAbort, { once: true });
  const finished = job.run().then(async (final) => {
    inv.signal.removeEventListener('abort', onAbort);
    const cond = terminalCondition(final);
    if (cond) inv.log(`Job ${key} ${cond.type === 'Complete' ? 'completed' : `failed (${cond.reason})`}`, 'jobs');
    const logs = params.logOptions.RetrieveLogs ? jobLogs(job, params) : undefined;
    // the pods' output is captured: their containers can go now
    await job.destroy();
    return { final, logs, cond };
  });
  track(state, inv.executionArn, finished);
  if (inv.resource.pattern !== 'sync') return { kind: 'done', output: created };

  const completion = finished.then(({ final, logs, cond }) => {
    if (inv.signal.aborted) throw abortError(inv.signal);
    const output: Record<string, unknown> = { ...final };
    if (logs) output.logs = logs;
    if (cond?.type !== 'Complete') throw new StatesError(JOB_FAILED_ERROR, JSON.stringify(output));
    return output;
  });
  return { kind: 'submitted', output: created, completion };
}

/** `logs` of the Job's pods (every pod started, in start order), with LogParameters applied. */
function jobLogs(job: ContainerJob, params: RunJobParams): JobLogs {
  const out: JobLogs = { pods: {} };
  const { names, results } = job.podResults();
  const containers = params.job.spec?.template?.spec?.containers ?? [];
  for (const pod of names) {
    const r = results.find((x) => x.name === pod);
    const entries: JobLogs['pods'][string]['containers'] = {};
    for (const c of containers) {
      const text = r?.logs.get(c.name);
      entries[c.name] =
        text === undefined
          ? { error: 'EKS.400', cause: `container "${c.name}" in pod "${pod}" is waiting to start: PodInitializing` }
          : { log: logValue(applyLogParameters(text, params.logOptions.LogParameters), params.logOptions.RawLogs) };
    }
    out.pods[pod] = { containers: entries };
  }
  return out;
}

/** Images must be local (or pullable once unless engine.pull is "never"). */
async function ensureImages(engine: ContainerEngine, images: string[], inv: TaskInvocation): Promise<void> {
  for (const image of images) {
    if (await engine.imageExists(image)) continue;
    if (inv.config.engine?.pull === 'never')
      throw new StatesError(
        IMAGE_UNAVAILABLE_ERROR,
        `The image ${image} is not present locally and engine.pull is "never".`,
      );
    inv.log(`pulling ${image}`, 'jobs');
    try {
      await engine.pullImage(image, { signal: inv.signal, timeoutMs: 300000 });
    } catch (e) {
      throw new StatesError(
        IMAGE_UNAVAILABLE_ERROR,
        `The image ${image} is not present locally and could not be pulled: ${(e as Error).message}`,
      );
    }
  }
}

function alreadyExists(name: string): StatesError {
  return jobStatusError(409, 'Conflict', 'AlreadyExists', name, `jobs.batch "${name}" already exists`);
}

function track(state: ContainerJobsState, executionArn: string, p: Promise<unknown>): void {
  let s = state.pending.get(executionArn);
  if (!s) state.pending.set(executionArn, (s = new Set()));
  const set = s;
  const q: Promise<unknown> = p.catch(() => undefined).finally(() => set.delete(q));
  set.add(q);
}
