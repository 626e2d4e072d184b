/**
 * Leftovers of crashed runs: the ECS driver's first use removes objects whose runner process is
 * gone, and `asl-workbench clean` removes them too (`--all`: everything asl-workbench labelled).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { main as clean } from '../src/clean';
import { ContainerEngine } from '../../runner/src/drivers/docker/engine';
import { BUSYBOX_IMAGE, LABELS } from '../../runner/src/drivers/docker/labels';
import { EcsDockerDriver } from '../../runner/src/drivers/ecs/driver';
import { ensureDocker, invocation, leftovers } from '../../runner/test/ecs-helpers';

const engine = new ContainerEngine();

// Every process that runs an ECS task sweeps orphans of its host on first use, and the Docker
// test files run concurrently: planted "crashed" objects would be removed by whichever process
// sweeps first. This process acts as a runner on a host of its own (labels and orphan checks
// both read os.hostname()), so only its own sweeps and `clean` calls can remove them.
const HOST = `asl-clean-test-${process.pid}`;
os.hostname = () => HOST;

/** A container and a network labelled as if created by runner process `pid`. */
async function plant(pid: number, tag: string): Promise<{ container: string; network: string }> {
  const labels = {
    [LABELS.managed]: 'true',
    [LABELS.runnerPid]: String(pid),
    [LABELS.runnerHost]: HOST,
    [LABELS.execution]: `arn:aws:states:us-east-1:123456789012:execution:crashed:${tag}`,
  };
  const network = await engine.createNetwork(`asl-wb-test-${tag}`, labels);
  const container = await engine.createContainer(
    { Image: BUSYBOX_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { NetworkMode: `asl-wb-test-${tag}` } },
    `asl-wb-test-${tag}`,
  );
  await engine.startContainer(container);
  return { container, network };
}

async function exists(p: { container: string; network: string }): Promise<[boolean, boolean]> {
  const c = await engine.inspectContainer(p.container);
  const n = await engine.inspectNetwork(p.network).then(
    () => true,
    () => false,
  );
  return [c !== undefined, n];
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('leftovers of crashed runs', () => {
  before(() => ensureDocker());
  after(async () => {
    const left = await leftovers(engine);
    engine.close();
    assert.deepEqual(left, []);
  });

  it("the driver's first use removes objects of dead runner processes, not of live ones", async () => {
    const dead = await plant(deadPid(), `dead-${process.pid}`);
    const alive = await plant(process.pid, `alive-${process.pid}`);
    try {
      const driver = new EcsDockerDriver();
      const { inv, logs } = invocation({ pattern: 'requestResponse', parameters: { TaskDefinition: 'echo-task' } });
      await driver.invoke(inv);
      await driver.disposeExecution(inv.executionArn);
      driver.close();
      assert.deepEqual(await exists(dead), [false, false]);
      assert.deepEqual(await exists(alive), [true, true]);
      assert.ok(
        logs.some((l) => /removed leftovers of crashed runs: 1 container\(s\), 1 network\(s\)/.test(l.line)),
        logs.map((l) => l.line).join('\n'),
      );
    } finally {
      await engine.removeContainer(alive.container);
      await engine.removeNetwork(alive.network);
    }
  });

  it('`clean` removes orphans; `clean --execution` removes live ones too', async () => {
    const dead = await plant(deadPid(), `clean-dead-${process.pid}`);
    const alive = await plant(process.pid, `clean-alive-${process.pid}`);
    assert.equal(await clean(['--json']), 0);
    assert.deepEqual(await exists(dead), [false, false]);
    assert.deepEqual(await exists(alive), [true, true]);
    // (--all would also remove the containers of other test files running now)
    assert.equal(
      await clean([
        '--execution',
        `arn:aws:states:us-east-1:123456789012:execution:crashed:clean-alive-${process.pid}`,
        '--json',
      ]),
      0,
    );
    assert.deepEqual(await exists(alive), [false, false]);
  });

  it('`clean` reports an unreachable engine with exit code 2', async () => {
    assert.equal(await clean(['--host', 'unix:///nonexistent/docker.sock']), 2);
    assert.equal(await clean(['--bogus']), 2);
  });
});
