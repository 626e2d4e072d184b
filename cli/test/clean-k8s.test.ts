/**
 * Labels on Jobs that runs create in a cluster, and `asl-workbench clean` removing the Jobs of
 * crashed runs, against the API server stand-in (test/k8s-standin) and a tiny fake engine
 * (no Docker needed: the engine side of clean is covered by clean.docker.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runExecution } from '../../runner/src/api';
import { main as clean } from '../src/clean';
import { K8S_LABELS, LABELS, isK8sLabelValue } from '../../runner/src/drivers/docker/labels';
import { EksDriver } from '../../runner/src/drivers/eks/driver';
import { executionHash, withTracking } from '../../runner/src/drivers/kubernetes/leftovers';
import { startStandin, type Standin } from '../../runner/test/k8s-standin/server';

const FIX = path.join(__dirname, '../../runner/test/fixtures/k8s');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-k8s-clean-'));

/** A pid that belonged to a process which has exited (and was reaped). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

let api: Standin;
let kubeconfig: string;
let engine: http.Server;
let engineUrl: string;
/** containers of the fake engine: id → labels */
const containers = new Map<string, Record<string, string>>();

function plantJob(name: string, pid: number, ns = 'default') {
  api.store.put('jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      labels: {
        [K8S_LABELS.managed]: 'true',
        [K8S_LABELS.kind]: 'k8s-job',
        [K8S_LABELS.runnerPid]: String(pid),
        [K8S_LABELS.runnerHost]: os.hostname(),
      },
    },
    spec: {},
    status: {},
  } as never);
}

/** The --json output of clean. */
interface CleanJson {
  containers: string[];
  networks: string[];
  errors: string[];
  jobs: string[];
  kubernetes: { context?: string; skipped?: string };
}

/** Runs `clean` with stdout captured; returns the exit code and the parsed --json output. */
async function runClean(args: string[]): Promise<{ code: number; out: CleanJson }> {
  const chunks: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  // only strings: the test runner's own reporter output (Buffers) goes through
  (process.stdout as { write: unknown }).write = (c: string | Uint8Array, ...rest: unknown[]) =>
    typeof c === 'string' ? (chunks.push(c), true) : (orig as (...a: unknown[]) => boolean)(c, ...rest);
  let code: number;
  try {
    code = await clean(['--json', '--host', engineUrl, '--config', path.join(tmp, 'none.json'), ...args]);
  } finally {
    (process.stdout as { write: unknown }).write = orig;
  }
  return { code, out: JSON.parse(chunks.join('')) };
}

describe('Kubernetes Jobs: labels and asl-workbench clean (stand-in)', () => {
  before(async () => {
    api = await startStandin();
    kubeconfig = path.join(tmp, 'kubeconfig');
    api.writeKubeconfig(kubeconfig, ['standin']);
    fs.writeFileSync(path.join(tmp, 'none.json'), '{}');
    engine = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const p = u.pathname.replace(/^\/v[\d.]+/, '');
      res.setHeader('Content-Type', 'application/json');
      if (p === '/_ping') return res.end('OK');
      if (p === '/containers/json')
        return res.end(
          JSON.stringify([...containers].map(([Id, Labels]) => ({ Id, Names: [`/${Id}`], Labels, State: 'exited' }))),
        );
      if (p === '/networks') return res.end('[]');
      const m = /^\/containers\/([^/]+)$/.exec(p);
      if (m && req.method === 'DELETE') {
        containers.delete(decodeURIComponent(m[1]!));
        res.statusCode = 204;
        return res.end();
      }
      res.statusCode = 404;
      res.end('{"message":"not found"}');
    });
    await new Promise<void>((r) => engine.listen(0, '127.0.0.1', r));
    engineUrl = `tcp://127.0.0.1:${(engine.address() as AddressInfo).port}`;
  });
  after(async () => {
    await api.close();
    await new Promise((r) => engine.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const ns of api.store.namespaces)
      for (const j of api.store.list('jobs', ns, null, null)) api.store.remove('jobs', ns, j.metadata.name);
    containers.clear();
  });

  it('a Job created by runJob carries our labels; the execution ARN is an annotation plus a hash label', async () => {
    const job = JSON.parse(read('standin-pi.job.json'));
    job.metadata.name = 'labelled';
    job.metadata.labels = { app: 'pi', [K8S_LABELS.kind]: 'mine' };
    const r = await runExecution({
      definition: read('run-job.asl.json'),
      input: { job },
      drivers: [new EksDriver()],
      config: { kubernetes: { kubeconfig } },
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const meta = api.store.get('jobs', 'default', 'labelled')!.metadata as unknown as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    assert.equal(meta.labels.app, 'pi');
    assert.equal(meta.labels[K8S_LABELS.kind], 'mine', 'a user label is never overwritten');
    assert.equal(meta.labels[K8S_LABELS.managed], 'true');
    assert.equal(meta.labels[K8S_LABELS.runnerPid], String(process.pid));
    assert.equal(meta.labels[K8S_LABELS.runnerHost] ?? meta.annotations[K8S_LABELS.runnerHost], os.hostname());
    const arn = meta.annotations[K8S_LABELS.execution]!;
    assert.match(arn, /^arn:aws:states:/);
    assert.equal(meta.labels[K8S_LABELS.execution], undefined, 'an ARN is no valid label value');
    assert.equal(meta.labels[K8S_LABELS.executionHash], executionHash(arn));
    assert.ok(meta.annotations['standin.asl-workbench.dev/plan'], 'user annotations are kept');
    for (const v of Object.values(meta.labels)) assert.ok(isK8sLabelValue(v), v);
  });

  it('withTracking: valid state names become labels, others annotations', () => {
    const a = withTracking({ metadata: { name: 'x' } }, 'arn:aws:states:r:1:execution:m:e', 'Run-Job');
    assert.equal(a.metadata.labels?.[K8S_LABELS.state], 'Run-Job');
    const b = withTracking({}, 'exec', 'Run the job!');
    assert.equal(b.metadata?.labels?.[K8S_LABELS.state], undefined);
    assert.equal(b.metadata?.annotations?.[K8S_LABELS.state], 'Run the job!');
    assert.equal(b.metadata?.labels?.[K8S_LABELS.execution], 'exec');
    assert.ok(!isK8sLabelValue('x'.repeat(64)) && !isK8sLabelValue('-a') && isK8sLabelValue('a.b_c-d'));
  });

  it('clean removes the orphan Job (dead pid) in every namespace and keeps the live one', async () => {
    plantJob('orphan', deadPid(), 'kube-system');
    plantJob('alive', process.pid);
    containers.set('dead-c', {
      [LABELS.managed]: 'true',
      [LABELS.runnerPid]: String(deadPid()),
      [LABELS.runnerHost]: os.hostname(),
    });
    const { code, out } = await runClean(['--kubeconfig', kubeconfig, '--context', 'standin']);
    assert.equal(code, 0, JSON.stringify(out));
    assert.deepEqual(out.jobs, ['kube-system/orphan']);
    assert.deepEqual(out.containers, ['dead-c']);
    assert.equal(out.kubernetes.context, 'standin');
    assert.equal(api.store.get('jobs', 'kube-system', 'orphan'), undefined);
    assert.ok(api.store.get('jobs', 'default', 'alive'));
    const del = api.requests.find((q) => q.method === 'DELETE' && q.path.endsWith('/jobs/orphan'));
    assert.ok(del, 'DELETE of the orphan Job');
    assert.match(JSON.stringify(del), /Foreground/);
  });

  it('clean --all removes every managed Job, and only managed ones', async () => {
    plantJob('orphan', deadPid());
    plantJob('alive', process.pid);
    api.store.put('jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'foreign', namespace: 'default' },
      spec: {},
      status: {},
    } as never);
    const { code, out } = await runClean(['--all', '--kubeconfig', kubeconfig, '--context', 'standin']);
    assert.equal(code, 0, JSON.stringify(out));
    assert.deepEqual([...out.jobs].sort(), ['default/alive', 'default/orphan']);
    assert.ok(api.store.get('jobs', 'default', 'foreign'));
  });

  it('no reachable cluster: containers are still cleaned, Kubernetes is reported as skipped, exit 0', async () => {
    const dead = path.join(tmp, 'dead-kubeconfig');
    fs.writeFileSync(dead, fs.readFileSync(kubeconfig, 'utf8').replace(/server: .*/, 'server: http://127.0.0.1:1'));
    containers.set('dead-c', {
      [LABELS.managed]: 'true',
      [LABELS.runnerPid]: String(deadPid()),
      [LABELS.runnerHost]: os.hostname(),
    });
    const { code, out } = await runClean(['--kubeconfig', dead]);
    assert.equal(code, 0, JSON.stringify(out));
    assert.deepEqual(out.containers, ['dead-c']);
    assert.deepEqual(out.jobs, []);
    assert.ok(out.kubernetes.skipped, 'skipped is said in the JSON');
    const missing = await runClean(['--kubeconfig', kubeconfig, '--context', 'nope']);
    assert.equal(missing.code, 0);
    assert.match(missing.out.kubernetes.skipped ?? '', /nope/);
  });
});
