/**
 * The eks driver's Kubernetes path against the local API server stand-in (test/k8s-standin),
 * reached through a generated kubeconfig: whole machines through runExecution.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExecution, startExecution } from '../src/api';
import type { ContainerEngine } from '../src/drivers/docker/engine';
import { EksDriver } from '../src/drivers/eks/driver';
import type { LocalRunConfig } from '../src/drivers/types';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import { PLAN_ANNOTATION } from './k8s-standin/controller';
import { startStandin, type Standin } from './k8s-standin/server';

const FIX = path.join(__dirname, 'fixtures', 'k8s');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-k8s-'));

/** The pi Job of the fixture with another name and, optionally, another plan. */
function piJob(name: string, plan?: unknown, spec?: Record<string, unknown>) {
  const j = JSON.parse(read('standin-pi.job.json'));
  j.metadata.name = name;
  if (plan) j.metadata.annotations[PLAN_ANNOTATION] = JSON.stringify(plan);
  if (spec) j.spec = { ...j.spec, ...spec };
  return j;
}

let api: Standin;
let kubeconfig: string;
const config = (): LocalRunConfig => ({ kubernetes: { kubeconfig } });

async function run(definition: string, input: unknown, cfg: LocalRunConfig = config(), driver = new EksDriver()) {
  const lines: string[] = [];
  const r = await runExecution({
    definition: read(definition),
    input,
    drivers: [driver],
    config: cfg,
    onLog: (l, s) => lines.push(`${s}: ${l}`),
  });
  let causeObj: Record<string, any> | undefined;
  try {
    causeObj = r.cause ? JSON.parse(r.cause) : undefined;
  } catch {
    causeObj = undefined; // a plain-text cause
  }
  return { ...r, lines, cause: r.cause, causeObj, out: r.output as Record<string, any> };
}

describe('eks driver on a Kubernetes API server (stand-in)', () => {
  before(async () => {
    api = await startStandin();
    kubeconfig = path.join(tmp, 'kubeconfig');
    api.writeKubeconfig(kubeconfig, ['standin']);
  });
  after(async () => {
    await api.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runJob (request-response) creates the Job in the namespace and returns the created object', async () => {
    const r = await run('run-job.asl.json', { job: piJob('rr') });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.equal(r.out.kind, 'Job');
    assert.equal(r.out.metadata.namespace, 'default');
    assert.ok(r.out.metadata.uid && r.out.metadata.resourceVersion);
    const post = api.requests.find((q) => q.method === 'POST' && q.path === '/apis/batch/v1/namespaces/default/jobs');
    assert.ok(post, 'POST to the Jobs collection');
    assert.ok(api.store.get('jobs', 'default', 'rr'));
  });

  it('runJob.sync watches the Job to Complete and JSON-parses each pod log', async () => {
    const r = await run('run-job-sync.asl.json', { job: piJob('sync-json'), logOptions: { RetrieveLogs: true } });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.ok(r.out.status.conditions.some((c: { type: string }) => c.type === 'Complete'));
    assert.equal(r.out.status.succeeded, 1);
    const pods = Object.entries(r.out.logs.pods) as Array<[string, { containers: Record<string, unknown> }]>;
    assert.equal(pods.length, 1);
    assert.match(pods[0]![0], /^sync-json-[a-z0-9]{5}$/);
    assert.deepEqual(pods[0]![1].containers.pi, { log: { pi: 3.14159 } });
    const w = api.requests.find(
      (q) => q.query.get('watch') === 'true' && q.query.get('fieldSelector') === 'metadata.name=sync-json',
    );
    assert.ok(w, 'a watch request for the Job');
    assert.ok(w.query.get('resourceVersion'), 'the watch starts at the created resourceVersion');
    const list = api.requests.find(
      (q) => q.path === '/api/v1/namespaces/default/pods' && q.query.get('labelSelector') === 'job-name=sync-json',
    );
    assert.ok(list, 'pods found by the job-name label');
  });

  it('RawLogs keeps strings and LogParameters (tailLines, limitBytes) go to the log endpoint', async () => {
    const plan = { pods: [{ phase: 'Succeeded', logs: { pi: 'one\ntwo\nthree\n' } }] };
    const r = await run('run-job-sync.asl.json', {
      job: piJob('raw', plan),
      logOptions: { RetrieveLogs: true, RawLogs: true, LogParameters: { tailLines: ['2'] } },
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const pod = Object.values(r.out.logs.pods)[0] as { containers: Record<string, { log: string }> };
    assert.equal(pod.containers.pi!.log, 'two\nthree\n');
    const logReq = api.requests.find((q) => q.path.endsWith('/log') && q.path.includes('/pods/raw-'));
    assert.equal(logReq?.query.get('tailLines'), '2');
    assert.equal(logReq?.query.get('container'), 'pi');

    const r2 = await run('run-job-sync.asl.json', {
      job: piJob('limit', plan),
      logOptions: { RetrieveLogs: true, RawLogs: true, LogParameters: { limitBytes: ['5'] } },
    });
    assert.equal(
      (Object.values(r2.out.logs.pods)[0] as { containers: Record<string, { log: string }> }).containers.pi!.log,
      'one\nt',
    );
  });

  it('a Failed Job fails the state with States.TaskFailed and the Job (status, logs) as cause', async () => {
    const plan = {
      pods: [
        { phase: 'Failed', logs: { pi: 'boom 1\n' } },
        { phase: 'Failed', logs: { pi: 'boom 2\n' } },
      ],
    };
    const r = await run('run-job-sync.asl.json', { job: piJob('fails', plan), logOptions: { RetrieveLogs: true } });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    assert.equal(r.causeObj!.status.failed, 2);
    assert.equal(
      r.causeObj!.status.conditions.find((c: { type: string }) => c.type === 'Failed').reason,
      'BackoffLimitExceeded',
    );
    assert.equal(Object.keys(r.causeObj!.logs.pods).length, 2);
  });

  it('API errors are EKS.<status> with cause {ResponseBody, StatusCode, StatusText}: 409, 404, 422', async () => {
    await run('run-job.asl.json', { job: piJob('twice') });
    const r = await run('run-job.asl.json', { job: piJob('twice') });
    assert.equal(r.error, 'EKS.409');
    assert.equal(r.causeObj!.StatusCode, 409);
    assert.equal(r.causeObj!.StatusText, 'Conflict');
    assert.equal(r.causeObj!.ResponseBody.reason, 'AlreadyExists');

    const r404 = await run('run-job-ns.asl.json', { namespace: 'nope', job: piJob('x') });
    assert.equal(r404.error, 'EKS.404');
    assert.equal(r404.causeObj!.ResponseBody.message, 'namespaces "nope" not found');

    const bad = piJob('bad');
    delete bad.spec.template.spec.restartPolicy;
    const r422 = await run('run-job.asl.json', { job: bad });
    assert.equal(r422.error, 'EKS.422');
  });

  it('a wrong token gives EKS.401 with the Status object as ResponseBody', async () => {
    const kc = path.join(tmp, 'kubeconfig-bad-token');
    api.writeKubeconfig(kc, ['standin'], { token: 'wrong' });
    const r = await run('run-job.asl.json', { job: piJob('unauth') }, { kubernetes: { kubeconfig: kc } });
    assert.equal(r.error, 'EKS.401');
    assert.deepEqual(r.causeObj, {
      ResponseBody: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
      StatusCode: 401,
      StatusText: 'Unauthorized',
    });
  });

  it('eks:call GET lists pods by labelSelector and returns ResponseBody, StatusCode, StatusText, Headers', async () => {
    await run('run-job-sync.asl.json', { job: piJob('listed'), logOptions: {} });
    const r = await run('call.asl.json', {
      method: 'GET',
      path: '/api/v1/namespaces/default/pods',
      query: { labelSelector: ['job-name=listed'] },
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.equal(r.out.StatusCode, 200);
    assert.equal(r.out.StatusText, 'OK');
    assert.equal(r.out.ResponseBody.kind, 'PodList');
    assert.equal(r.out.ResponseBody.items.length, 1);
    assert.deepEqual(r.out.Headers['content-type'], ['application/json']);
  });

  it('eks:call DELETE with propagationPolicy Foreground removes the Job and its pods; again → EKS.404', async () => {
    await run('run-job-sync.asl.json', { job: piJob('doomed'), logOptions: {} });
    assert.equal(api.store.list('pods', 'default', 'job-name=doomed', null).length, 1);
    const r = await run('call-delete.asl.json', { jobName: 'doomed' });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.equal(api.store.get('jobs', 'default', 'doomed'), undefined);
    assert.equal(api.store.list('pods', 'default', 'job-name=doomed', null).length, 0);
    const again = await run('call-delete.asl.json', { jobName: 'doomed' });
    assert.equal(again.error, 'EKS.404');
    assert.equal(again.causeObj!.ResponseBody.reason, 'NotFound');
  });

  it('stopping the execution deletes a running Job with propagationPolicy Foreground', async () => {
    const started = startExecution({
      definition: read('run-job-sync.asl.json'),
      input: { job: piJob('forever', { pods: [] }), logOptions: {} },
      drivers: [new EksDriver()],
      config: config(),
    });
    await waitFor(
      () =>
        api.store.get('jobs', 'default', 'forever') &&
        api.requests.some((q) => q.query.get('fieldSelector') === 'metadata.name=forever'),
      { deadlineMs: 5000, message: 'the Job and its watch' },
    );
    started.stop('Stopped', 'test');
    const r = await started.result;
    assert.equal(r.status, 'ABORTED');
    const del = api.requests.find((q) => q.method === 'DELETE' && q.path.endsWith('/jobs/forever'));
    assert.equal(del?.query.get('propagationPolicy'), 'Foreground');
    assert.equal(api.store.get('jobs', 'default', 'forever'), undefined);
  });

  it('re-reads the Job and watches again after 410 Gone', async () => {
    const expiring = await startStandin({ expireFirstWatch: true });
    try {
      const kc = path.join(tmp, 'kubeconfig-expire');
      expiring.writeKubeconfig(kc, ['standin']);
      const r = await run(
        'run-job-sync.asl.json',
        { job: piJob('expired'), logOptions: {} },
        { kubernetes: { kubeconfig: kc } },
      );
      assert.equal(r.status, 'SUCCEEDED', r.cause);
      const watches = expiring.requests.filter((q) => q.query.get('watch') === 'true');
      assert.ok(watches.length >= 2, 'a second watch after the 410');
      assert.ok(
        expiring.requests.some((q) => q.method === 'GET' && q.path.endsWith('/jobs/expired')),
        'the Job re-read',
      );
    } finally {
      await expiring.close();
    }
  });

  it('falls back to polling when the server refuses to watch', async () => {
    const noWatch = await startStandin({ noWatch: true });
    try {
      const kc = path.join(tmp, 'kubeconfig-nowatch');
      noWatch.writeKubeconfig(kc, ['standin']);
      const r = await run(
        'run-job-sync.asl.json',
        { job: piJob('polled'), logOptions: { RetrieveLogs: true } },
        { kubernetes: { kubeconfig: kc } },
      );
      assert.equal(r.status, 'SUCCEEDED', r.cause);
      assert.ok(r.lines.some((l) => l.includes('polling instead')));
      assert.ok(
        noWatch.requests.some((q) => q.method === 'GET' && q.path === '/apis/batch/v1/namespaces/default/jobs/polled'),
      );
    } finally {
      await noWatch.close();
    }
  });
});

describe('cluster resolution', () => {
  before(async () => {
    api = await startStandin();
    kubeconfig = path.join(tmp, 'kubeconfig-resolve');
    fs.mkdirSync(tmp, { recursive: true });
    // current context "other" comes first; kind-asl-test exists too
    api.writeKubeconfig(kubeconfig, ['other', 'kind-asl-test', 'named']);
  });
  after(() => api.close());

  const fakeEngine = { imageExists: async () => true } as unknown as ContainerEngine;
  const kindEnv = (record: string) => ({
    ...process.env,
    PATH: `${path.join(FIX, 'bin')}${path.delimiter}${process.env.PATH}`,
    KIND_RECORD: record,
  });

  it('prefers kind-<ClusterName> over the current context and loads local images with kind', async () => {
    const record = path.join(tmp, 'kind-load.jsonl');
    const r = await run(
      'run-job.asl.json',
      { job: piJob('kind-ctx') },
      config(),
      new EksDriver({ engine: fakeEngine, env: kindEnv(record) }),
    );
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.ok(
      r.lines.some((l) => l.includes('in context kind-asl-test')),
      r.lines.join('\n'),
    );
    const calls = fs
      .readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(calls, [['load', 'docker-image', 'asl-workbench/busybox:latest', '--name', 'asl-test']]);
  });

  it('kindLoadImages: false turns image loading off', async () => {
    const record = path.join(tmp, 'kind-noload.jsonl');
    const r = await run(
      'run-job.asl.json',
      { job: piJob('kind-noload') },
      { kubernetes: { kubeconfig, kindLoadImages: false } },
      new EksDriver({ engine: fakeEngine, env: kindEnv(record) }),
    );
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.equal(fs.existsSync(record), false);
  });

  it('clusters.<name>.context wins; an explicit context that does not exist fails without falling back', async () => {
    const r = await run(
      'run-job.asl.json',
      { job: piJob('named-ctx') },
      { kubernetes: { kubeconfig }, clusters: { 'asl-test': { context: 'named' } } },
    );
    assert.ok(r.lines.some((l) => l.includes('in context named')));
    const missing = await run(
      'run-job.asl.json',
      { job: piJob('nowhere') },
      { kubernetes: { kubeconfig }, clusters: { 'asl-test': { context: 'absent' } } },
    );
    assert.equal(missing.error, 'AslWorkbench.NoCluster');
    assert.match(missing.cause!, /context absent is not in/);
    assert.deepEqual(missing.problem, { kind: 'noCluster', clusterName: 'asl-test' });
  });

  it('a clusters entry keyed by Endpoint applies when there is none for ClusterName', async () => {
    const r = await run(
      'run-job.asl.json',
      { job: piJob('by-endpoint') },
      { kubernetes: { kubeconfig }, clusters: { 'https://ignored.example.invalid': { context: 'named' } } },
    );
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.ok(r.lines.some((l) => l.includes('in context named')));
  });

  it('eks:call with no reachable cluster fails saying how to point at one', async () => {
    const kc = path.join(tmp, 'kubeconfig-dead');
    fs.writeFileSync(
      kc,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: dead',
        '  cluster:',
        '    server: http://127.0.0.1:9',
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: u',
        '  user:',
        '    token: t',
        'contexts:',
        '- name: dead',
        '  context:',
        '    cluster: dead',
        '    user: u',
        'current-context: dead',
        '',
      ].join('\n'),
    );
    const r = await run(
      'call.asl.json',
      { method: 'GET', path: '/api/v1/namespaces/default/pods', query: {} },
      { kubernetes: { kubeconfig: kc } },
    );
    assert.equal(r.error, 'AslWorkbench.NoCluster');
    assert.match(
      r.cause!,
      /clusters\.<ClusterName>\.context in asl-workbench\.run\.json or the setting aslWorkbench\.kubernetes\.context/,
    );
    // the problem names the cluster for the fix, also in the TaskFailed event the client reads
    assert.deepEqual(r.problem, { kind: 'noCluster', clusterName: 'asl-test' });
    const failed = r.history.find((e) => e.type === 'TaskFailed');
    assert.deepEqual((failed?.taskFailedEventDetails as { problem?: unknown }).problem, r.problem);
  });
});
