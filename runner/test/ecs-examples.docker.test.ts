/**
 * The two examples of the ECS integration page (examples/ecs-*) run as `asl-workbench run`
 * runs them: run config found next to the machine, real containers; and their mock configs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExecution, type RunOptions } from '../src/api';
import { loadRunConfig } from '../src/config';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { ensureDocker, leftovers, ROOT } from './ecs-helpers';

const engine = new ContainerEngine();

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
