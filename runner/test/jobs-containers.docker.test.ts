/**
 * Kubernetes Job semantics on real containers (no cluster): whole machines through
 * runExecution with the eks driver, the busybox image built by scripts/setup-docker.sh.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExecution, startExecution } from '../src/api';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { EksDriver } from '../src/drivers/eks/driver';
import type { LocalRunConfig } from '../src/drivers/types';
import { ensureDocker, leftovers } from './ecs-helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const FIX = path.join(__dirname, 'fixtures', 'k8s');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const job = (f: string) => JSON.parse(read(f)) as Record<string, unknown>;
const engine = new ContainerEngine();
// ClusterName asl-test is mapped to containers; the other tests resolve "no cluster" the default way
const config: LocalRunConfig = { clusters: { 'asl-test': { mode: 'containers' } } };

type Logs = { pods: Record<string, { containers: Record<string, { log?: unknown; error?: string }> }> };

async function runSync(jobFile: string, logOptions: unknown = { RetrieveLogs: true }) {
  const driver = new EksDriver({ engine });
  const lines: string[] = [];
  const r = await runExecution({
    definition: read('run-job-sync.asl.json'),
    input: { job: job(jobFile), logOptions },
    drivers: [driver],
    config,
    onLog: (l, s) => lines.push(`${s}: ${l}`),
  });
  const out = (r.output ?? (r.cause ? JSON.parse(r.cause) : undefined)) as Record<string, unknown> & {
    status: Record<string, unknown>;
    logs?: Logs;
  };
  return { r, out, lines, left: await leftovers(engine, r.executionArn) };
}

describe('Jobs on containers (real engine)', () => {
  before(() => ensureDocker());
  after(async () => {
    const left = await leftovers(engine);
    engine.close();
    assert.deepEqual(left, [], 'no labelled container may remain after the suite');
  });

  it('runs a Job to Complete and JSON-parses its log', async () => {
    const { r, out, left } = await runSync('json-logs.job.json');
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.equal(out.status.succeeded, 1);
    assert.ok(out.status.completionTime);
    const conds = out.status.conditions as Array<{ type: string; status: string }>;
    assert.ok(conds.some((c) => c.type === 'Complete' && c.status === 'True'));
    const pods = Object.keys(out.logs!.pods);
    assert.equal(pods.length, 1);
    assert.match(pods[0]!, /^json-logs-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(out.logs!.pods[pods[0]!]!.containers.pi, { log: { pi: 3.14159, who: 'busybox' } });
    assert.deepEqual(left, []);
  });

  it('keeps raw logs with RawLogs, applies tailLines, runs init containers first and honours workingDir', async () => {
    const { r, out, lines } = await runSync('lines.job.json', {
      RetrieveLogs: true,
      RawLogs: true,
      LogParameters: { tailLines: ['2'] },
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const pod = Object.values(out.logs!.pods)[0]!;
    assert.equal(pod.containers.count!.log, 'line 5\n/tmp\n');
    assert.ok(!('init' in pod.containers), 'only the pod spec containers appear under logs');
    const init = lines.findIndex((l) => l.endsWith('/init: init ran'));
    const first = lines.findIndex((l) => l.endsWith('/count: line 1'));
    assert.ok(init >= 0 && first > init, 'the init container ran before the container');
  });

  it('fails with States.TaskFailed after backoffLimit + 1 failed pods (BackoffLimitExceeded)', async () => {
    const { r, out, left } = await runSync('failing.job.json');
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    assert.equal(out.status.failed, 3);
    assert.equal(out.status.completionTime, undefined);
    const failed = (out.status.conditions as Array<{ type: string; reason?: string }>).find((c) => c.type === 'Failed');
    assert.equal(failed?.reason, 'BackoffLimitExceeded');
    assert.equal(Object.keys(out.logs!.pods).length, 3, 'a new pod per failure');
    for (const p of Object.values(out.logs!.pods)) assert.equal(p.containers.fail!.log, 'failing\n');
    assert.deepEqual(left, []);
  });

  it('restartPolicy OnFailure restarts in the same pod and counts restarts towards backoffLimit', async () => {
    const { r, out, lines } = await runSync('on-failure.job.json');
    assert.equal(r.status, 'FAILED');
    assert.equal(Object.keys(out.logs!.pods).length, 1);
    assert.equal(lines.filter((l) => l.includes('restarting container fail')).length, 1);
  });

  it('fails with DeadlineExceeded when activeDeadlineSeconds passes, removing the running pod', async () => {
    const { r, out, left } = await runSync('deadline.job.json');
    assert.equal(r.status, 'FAILED');
    const failed = (out.status.conditions as Array<{ type: string; reason?: string }>).find((c) => c.type === 'Failed');
    assert.equal(failed?.reason, 'DeadlineExceeded');
    assert.deepEqual(left, []);
  });

  it('runs completions 4 with parallelism 2 (never more than 2 pods at once)', async () => {
    const driver = new EksDriver({ engine });
    let running = 0;
    let peak = 0;
    const r = await runExecution({
      definition: read('run-job-sync.asl.json'),
      input: { job: job('parallel.job.json'), logOptions: { RetrieveLogs: true } },
      drivers: [driver],
      config,
      onLog: (l) => {
        if (/^pod \S+ started$/.test(l)) peak = Math.max(peak, ++running);
        if (/^\{"host"/.test(l)) running--;
      },
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const out = r.output as { status: { succeeded: number }; logs: Logs };
    assert.equal(out.status.succeeded, 4);
    const pods = Object.entries(out.logs.pods);
    assert.equal(pods.length, 4);
    // each pod's host name is its pod name, as in Kubernetes
    for (const [name, p] of pods) assert.deepEqual(p.containers.work!.log, { host: name });
    assert.ok(peak <= 2, `at most 2 pods ran at once (saw ${peak})`);
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it('request-response runJob returns the created Job (empty status) without waiting', async () => {
    const r = await runExecution({
      definition: read('run-job.asl.json'),
      input: { job: job('json-logs.job.json') },
      drivers: [new EksDriver({ engine })],
      config: {},
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const out = r.output as { kind: string; metadata: { name: string; uid: string }; status: unknown };
    assert.equal(out.kind, 'Job');
    assert.equal(out.metadata.name, 'json-logs');
    assert.match(out.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(out.status, {});
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it('rejects a Job Kubernetes would reject (no restartPolicy) with EKS.422', async () => {
    const bad = job('json-logs.job.json') as { spec: { template: { spec: Record<string, unknown> } } };
    delete bad.spec.template.spec.restartPolicy;
    const r = await runExecution({
      definition: read('run-job.asl.json'),
      input: { job: bad },
      drivers: [new EksDriver({ engine })],
      config,
    });
    assert.equal(r.error, 'EKS.422');
    assert.equal(JSON.parse(r.cause!).StatusCode, 422);
  });

  it('runs examples/eks-run-job-sync with its run config (the pi Job, logs selected by $.logs..pi)', async () => {
    const dir = path.join(__dirname, '..', '..', 'examples', 'eks-run-job-sync');
    const configPath = path.join(dir, 'asl-workbench.run.json');
    const cfg = { ...(JSON.parse(fs.readFileSync(configPath, 'utf8')) as LocalRunConfig), configPath };
    // the example's cluster must not resolve to a kubeconfig of the machine running the tests
    cfg.clusters = { 'pi-cluster': { mode: 'containers' } };
    const r = await runExecution({
      definition: fs.readFileSync(path.join(dir, 'state-machine.asl.json'), 'utf8'),
      input: JSON.parse(fs.readFileSync(path.join(dir, 'input.json'), 'utf8')),
      drivers: [new EksDriver({ engine })],
      config: cfg,
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const out = r.output as { status: { succeeded: number }; logs: unknown[] };
    assert.equal(out.status.succeeded, 1);
    assert.deepEqual(out.logs, [{ log: { pi: 3.141592653589793 } }, 3.141592653589793]);
  });

  it('stopping the execution removes the running pods', async () => {
    const started = startExecution({
      definition: read('run-job-sync.asl.json'),
      input: {
        job: {
          ...job('deadline.job.json'),
          spec: { ...(job('deadline.job.json').spec as object), activeDeadlineSeconds: 600 },
        },
        logOptions: {},
      },
      drivers: [new EksDriver({ engine })],
      config,
    });
    await waitFor(async () => (await leftovers(engine, started.executionArn)).length > 0, {
      message: 'the pod container',
      intervalMs: 100,
    });
    started.stop('Stopped', 'test');
    const r = await started.result;
    assert.equal(r.status, 'ABORTED');
    assert.deepEqual(await leftovers(engine, started.executionArn), []);
  });
});
