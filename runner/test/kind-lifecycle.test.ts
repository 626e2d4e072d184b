/**
 * Cluster lifecycle on kind through a stand-in `kind` executable (test/fixtures/k8s/bin/kind)
 * that records its argument arrays: whole machines through runExecution.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runExecution } from '../src/api';
import { EksDriver } from '../src/drivers/eks/driver';
import type { LocalRunConfig } from '../src/drivers/types';

const FIX = path.join(__dirname, 'fixtures', 'k8s');
const BIN = path.join(FIX, 'bin');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-kind-'));

function setup(name: string) {
  const record = path.join(tmp, `${name}.jsonl`);
  const env = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH}`, KIND_RECORD: record };
  const calls = () =>
    fs.existsSync(record)
      ? fs
          .readFileSync(record, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as string[])
      : [];
  return { record, env, calls };
}

async function run(definition: string, input: unknown, env: NodeJS.ProcessEnv, config: LocalRunConfig = {}) {
  return runExecution({ definition: read(definition), input, drivers: [new EksDriver({ env })], config });
}

describe('EKS cluster lifecycle on kind (stand-in kind CLI)', () => {
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('createCluster.sync → kind create cluster; node group and Fargate profile simulated; deleteCluster → kind delete cluster', async () => {
    const { env, calls } = setup('lifecycle');
    const r = await run('cluster-lifecycle.asl.json', { clusterName: 'batch' }, env);
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    const out = r.output as Record<string, any>;
    const c = out.created.Cluster;
    assert.equal(c.Name, 'batch');
    assert.equal(c.Status, 'ACTIVE');
    assert.equal(c.Arn, 'arn:aws:eks:us-east-1:123456789012:cluster/batch');
    assert.equal(c.Endpoint, 'https://127.0.0.1:40443');
    assert.equal(Buffer.from(c.CertificateAuthority.Data, 'base64').toString(), 'fake CA of batch');
    assert.equal(c.RoleArn, 'arn:aws:iam::123456789012:role/EksClusterRole');
    assert.deepEqual(c.ResourcesVpcConfig.SubnetIds, ['subnet-1', 'subnet-2']);
    assert.equal(typeof c.CreatedAt, 'number');
    assert.equal(out.nodegroup.Nodegroup.Status, 'ACTIVE');
    assert.equal(
      out.nodegroup.Nodegroup.NodegroupArn.startsWith('arn:aws:eks:us-east-1:123456789012:nodegroup/batch/workers/'),
      true,
    );
    assert.equal(out.fargate.FargateProfile.Status, 'ACTIVE');
    assert.equal(out.fargateDeleted.FargateProfile.Status, 'DELETING');
    assert.equal(out.nodegroupDeleted.Nodegroup.Status, 'DELETING');
    assert.equal(out.deleted.Cluster.Status, 'DELETING');
    assert.deepEqual(calls(), [
      ['get', 'clusters'],
      ['create', 'cluster', '--name', 'batch'],
      ['get', 'kubeconfig', '--name', 'batch'],
      ['get', 'clusters'],
      ['get', 'kubeconfig', '--name', 'batch'],
      ['delete', 'cluster', '--name', 'batch'],
    ]);
  });

  it('createCluster of an existing cluster fails with EKS.ResourceInUseException; deleteCluster of a missing one with EKS.ResourceNotFoundException', async () => {
    const { env } = setup('conflict');
    assert.equal((await run('create-cluster.asl.json', { clusterName: 'dup' }, env)).status, 'SUCCEEDED');
    const again = await run('create-cluster.asl.json', { clusterName: 'dup' }, env);
    assert.equal(again.error, 'EKS.ResourceInUseException');
    const del = await run('cluster-lifecycle.asl.json', { clusterName: 'gone' }, setup('gone').env);
    assert.equal(del.status, 'SUCCEEDED', 'create then delete works on a fresh state');
  });

  it('uses kubernetes.kindPath when set, and names the setting when kind is absent', async () => {
    const { env, calls } = setup('kindpath');
    const r = await run(
      'create-cluster.asl.json',
      { clusterName: 'p' },
      { ...env, PATH: path.dirname(process.execPath) },
      { kubernetes: { kindPath: path.join(BIN, 'kind') } },
    );
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.deepEqual(calls()[1], ['create', 'cluster', '--name', 'p']);
    const missing = await run(
      'create-cluster.asl.json',
      { clusterName: 'q' },
      { ...env, PATH: path.dirname(process.execPath) },
    );
    assert.equal(missing.error, 'AslWorkbench.KindFailed');
    assert.match(missing.cause!, /aslWorkbench\.kind\.path/);
    assert.deepEqual(missing.problem, { kind: 'kindMissing' });
  });
});
