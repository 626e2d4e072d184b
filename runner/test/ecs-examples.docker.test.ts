/**
 * The examples of the ECS integration page (examples/ecs-*) run as `asl-workbench run`
 * runs them: run config found next to the machine, real containers; and their mock configs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExecution, type RunOptions } from '../src/api';
import { loadRunConfig } from '../src/config';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { ensureDocker, leftovers, ROOT } from './ecs-helpers';

const engine = new ContainerEngine();
const temps: string[] = [];

/** A temp copy of the bucket folders of examples/ecs-distributed-map (ResultWriter writes there, not into the repository). */
function bucketsCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-example-s3-'));
  temps.push(dir);
  fs.cpSync(path.join(ROOT, 'examples', 'ecs-distributed-map', 's3', 'orders-input'), path.join(dir, 'orders-input'), {
    recursive: true,
  });
  return dir;
}

function example(name: string, extra: Partial<RunOptions> = {}): RunOptions & { logs: string[] } {
  const dir = path.join(ROOT, 'examples', name);
  const file = path.join(dir, 'state-machine.asl.json');
  const cfg = loadRunConfig(file);
  assert.ok(cfg.ok && cfg.file, 'the run config is found next to the machine');
  const logs: string[] = [];
  return {
    definition: fs.readFileSync(file, 'utf8'),
    input: JSON.parse(fs.readFileSync(path.join(dir, 'input.json'), 'utf8')) as unknown,
    stateMachineName: 'state-machine',
    config: cfg.value,
    baseDir: dir,
    drivers: [new EcsDockerDriver()],
    onLog: (line, source) => logs.push(`${source}: ${line}`),
    logs,
    ...extra,
  };
}

describe('examples of the ECS integration page', () => {
  before(() => ensureDocker());
  after(async () => {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
    const left = await leftovers(engine);
    engine.close();
    assert.deepEqual(left, []);
  });

  it('ecs-run-task-sync runs the commands of the input and returns the stopped task', async () => {
    const o = example('ecs-run-task-sync');
    const r = await runExecution(o);
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.ok(o.logs.includes('worker: all 3 commands done'), o.logs.join('\n'));
    const out = r.output as { StopCode: string; Containers: Array<{ ExitCode: number }>; TaskDefinitionArn: string };
    assert.equal(out.StopCode, 'EssentialContainerExited');
    assert.equal(out.Containers[0].ExitCode, 0);
    assert.equal(out.TaskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/run-commands:1');
  });

  it('ecs-wait-for-task-token: the worker heartbeats and sends success with busybox wget', async () => {
    const o = example('ecs-wait-for-task-token');
    const r = await runExecution(o);
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(r.output, { result: 'done', items: 3 });
  });

  it('ecs-fan-out-map: one task per file (Map), a failing file is recorded and fails the run at the end', async () => {
    const ok = await runExecution(example('ecs-fan-out-map'));
    assert.equal(ok.status, 'SUCCEEDED', `${ok.error}: ${ok.cause}`);
    assert.deepEqual(ok.output, { total: 3, failed: [] });
    const input = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'examples', 'ecs-fan-out-map', 'input-with-corrupt-file.json'), 'utf8'),
    ) as unknown;
    const o = example('ecs-fan-out-map', { input });
    const bad = await runExecution(o);
    assert.equal(bad.status, 'FAILED');
    assert.equal(bad.error, 'ConversionFailed');
    assert.ok(
      o.logs.some((l) => /corrupt\.docx is not a document/.test(l)),
      o.logs.join('\n'),
    );
    const exited = bad.history
      .filter((e) => e.type === 'PassStateExited')
      .map(
        (e) => (e as unknown as { stateExitedEventDetails: { name: string; output: string } }).stateExitedEventDetails,
      );
    const summary = exited.find((d) => d.name === 'Summarize');
    assert.deepEqual(JSON.parse(String(summary?.output)), {
      total: 3,
      failed: ['2025/01/corrupt.docx'],
    });
  });

  it('ecs-distributed-map: one task per batch of CSV rows as child executions, results written by ResultWriter', async () => {
    const s3Root = bucketsCopy();
    const base = example('ecs-distributed-map');
    const o = example('ecs-distributed-map', { config: { ...base.config, s3: { root: s3Root } } });
    const r = await runExecution(o);
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    const processed = o.logs
      .filter((l) => l.startsWith('worker: worker: run '))
      .map((l) => l.replace(/^.* orders /, '').trim());
    assert.deepEqual(processed.sort(), ['1001 1002 1003 1004', '1005 1006 1007 1008', '1009 1010']);
    const { Bucket, Key } = (r.output as { results: { ResultWriterDetails: { Bucket: string; Key: string } } }).results
      .ResultWriterDetails;
    const manifest = JSON.parse(fs.readFileSync(path.join(s3Root, Bucket, Key), 'utf8')) as {
      ResultFiles: { SUCCEEDED: Array<{ Key: string }>; FAILED: unknown[] };
    };
    assert.deepEqual(manifest.ResultFiles.FAILED, []);
    const succeeded = JSON.parse(
      fs.readFileSync(path.join(s3Root, Bucket, manifest.ResultFiles.SUCCEEDED[0]!.Key), 'utf8'),
    ) as Array<{ Output: string }>;
    assert.deepEqual(
      succeeded.map((s) => (JSON.parse(s.Output) as { exitCode: number }).exitCode),
      [0, 0, 0],
    );
  });

  it("ecs-distributed-map: every test case of mock-config.json names the machine's states", async () => {
    for (const [testCase, status] of Object.entries({ AllBatchesProcessed: 'SUCCEEDED', SecondBatchFails: 'FAILED' })) {
      const base = example('ecs-distributed-map');
      const o = example('ecs-distributed-map', {
        config: { ...base.config, s3: { root: bucketsCopy() } },
        mockConfig: path.join(ROOT, 'examples', 'ecs-distributed-map', 'mock-config.json'),
        testCase,
        drivers: [],
      });
      const r = await runExecution(o);
      assert.equal(r.status, status, `${testCase}: ${r.error} ${r.cause}`);
    }
  });

  for (const [name, cases] of [
    ['ecs-run-task-sync', { HappyPath: 'SUCCEEDED', ContainerFails: 'FAILED' }],
    [
      'ecs-wait-for-task-token',
      { WorkerReportsSuccess: 'SUCCEEDED', WorkerReportsFailure: 'FAILED', WorkerNeverCallsBack: 'FAILED' },
    ],
    ['ecs-fan-out-map', { AllConverted: 'SUCCEEDED', SecondFileFails: 'FAILED' }],
  ] as const) {
    it(`${name}: every test case of mock-config.json names the machine's states`, async () => {
      for (const [testCase, status] of Object.entries(cases)) {
        const o = example(name, {
          mockConfig: path.join(ROOT, 'examples', name, 'mock-config.json'),
          testCase,
          drivers: [],
        });
        const r = await runExecution(o);
        assert.equal(r.status, status, `${testCase}: ${r.error} ${r.cause}`);
      }
    });
  }
});
