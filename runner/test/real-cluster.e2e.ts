/**
 * runJob.sync with logs and eks:call against whatever cluster the kubeconfig names (KUBECONFIG /
 * ~/.kube/config; context: KUBE_E2E_CONTEXT or the current one). Image: KUBE_E2E_IMAGE (default
 * the local asl-workbench/busybox, loaded into kind clusters; on other clusters use a pullable
 * one such as busybox:1.36). The test suite has no cluster to offer, so this file is not named
 * *.test.ts and runs only when asked for:
 *   node --import tsx --test runner/test/real-cluster.e2e.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runExecution } from '../src/api';
import { EksDriver } from '../src/drivers/eks/driver';
import type { LocalRunConfig } from '../src/drivers/types';

const FIX = path.join(__dirname, 'fixtures', 'k8s');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');

describe('eks driver against a real cluster', () => {
  const name = `asl-e2e-${Date.now().toString(36)}`;
  const config: LocalRunConfig = {
    clusters: {
      'asl-test': {
        mode: 'kubernetes',
        ...(process.env.KUBE_E2E_CONTEXT ? { context: process.env.KUBE_E2E_CONTEXT } : {}),
      },
    },
  };
  const job = JSON.parse(read('json-logs.job.json'));
  job.metadata = { name };
  job.spec.template.spec.containers[0].image = process.env.KUBE_E2E_IMAGE ?? 'asl-workbench/busybox:latest';
  job.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';

  it('runJob.sync completes with the JSON log of the pod', async () => {
    const r = await runExecution({
      definition: read('run-job-sync.asl.json'),
      input: { job, logOptions: { RetrieveLogs: true } },
      drivers: [new EksDriver()],
      config,
      onLog: (l, s) => console.log(`${s}: ${l}`),
    });
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const out = r.output as {
      status: { succeeded: number };
      logs: { pods: Record<string, { containers: { pi: { log: unknown } } }> };
    };
    assert.equal(out.status.succeeded, 1);
    assert.deepEqual(Object.values(out.logs.pods)[0]!.containers.pi.log, { pi: 3.14159, who: 'busybox' });
  });

  it('eks:call lists the pods of the Job and deletes it', async () => {
    const list = await runExecution({
      definition: read('call.asl.json'),
      input: { method: 'GET', path: '/api/v1/namespaces/default/pods', query: { labelSelector: [`job-name=${name}`] } },
      drivers: [new EksDriver()],
      config,
    });
    assert.equal(list.status, 'SUCCEEDED', list.cause);
    assert.ok((list.output as { ResponseBody: { items: unknown[] } }).ResponseBody.items.length >= 1);
    const del = await runExecution({
      definition: read('call-delete.asl.json'),
      input: { jobName: name },
      drivers: [new EksDriver()],
      config,
    });
    assert.equal(del.status, 'SUCCEEDED', del.cause);
  });
});
