/**
 * The debug adapter with real containers (Docker engine, the busybox image of
 * scripts/setup-docker.sh): an ECS task runs as a container while the execution is debugged,
 * pausing inside a `.waitForTaskToken` task shows its token and keeps the callback endpoint
 * answering, and stopping the session ends the execution ABORTED with its containers and
 * networks removed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { LABELS, managedFilter } from '../src/drivers/docker/labels';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import { AdapterSession } from './debug-helpers';
import { ensureDocker, FIXTURES } from './ecs-helpers';
import { sfnCall } from './helpers';

const engine = new ContainerEngine();
const RUN_CONFIG = path.join(FIXTURES, 'asl-workbench.run.json');
const machine = (name: string): string => path.join(FIXTURES, 'machines', `${name}.asl.json`);

/** Containers and networks of one execution, stopped ones included. */
async function objectsOf(executionArn: string): Promise<string[]> {
  const filters = [managedFilter(), `${LABELS.execution}=${executionArn}`];
  const containers = await engine.listContainers(filters);
  const networks = await engine.listNetworks(filters);
  return [
    ...containers.map((c) => `container ${c.Names[0]} (${c.State})`),
    ...networks.map((n) => `network ${n.Name}`),
  ];
}

let session: AdapterSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('debug adapter with containers', () => {
  before(() => ensureDocker());

  it('stop while an ECS task runs ends the execution ABORTED with no container left', async () => {
    const s = (session = await AdapterSession.start());
    await s.launch({
      program: machine('sleep-sync'),
      runConfig: RUN_CONFIG,
      stateMachineName: 'debug-stop',
      stopOnEntry: true,
    });
    const entry = await s.nextStop();
    assert.equal(entry.reason, 'entry');
    const [run] = await s.frames(entry.threadId!);
    const executionArn = JSON.parse(await s.evaluate('$$.Execution.Id', run!.id)) as string;
    await s.dc.continueRequest({ threadId: entry.threadId! });
    await waitFor(
      async () =>
        (await engine.listContainers([`${LABELS.execution}=${executionArn}`])).some((c) => c.State === 'running'),
      {
        deadlineMs: 60_000,
        message: 'the task container running',
      },
    );
    await s.dc.terminateRequest();
    assert.match(await s.ended(), /Execution ABORTED/);
    assert.deepEqual(await objectsOf(executionArn), []);
  });

  it('pausing inside a .waitForTaskToken task shows the token, and the callback endpoint still answers', async () => {
    const s = (session = await AdapterSession.start());
    await s.launch({ program: machine('wait-host-callback'), runConfig: RUN_CONFIG, stateMachineName: 'debug-token' });
    const endpoint = await waitFor(() => /callback endpoint (http:\/\/\S+)/.exec(s.output)?.[1], {
      deadlineMs: 60_000,
      message: 'the callback endpoint in the output',
    });
    await s.dc.pauseRequest({ threadId: 1 });
    const paused = await s.nextStop();
    assert.equal(paused.reason, 'pause');
    const [task] = await s.frames(paused.threadId!);
    assert.equal(task?.name, 'Manage ECS task (running)');
    const token = await waitFor(async () => (await s.scope(task!.id, 'Pipeline')).get('TaskToken')?.value, {
      message: 'the task token',
    });
    assert.equal(await s.evaluate('$$.Task.Token', task!.id), token);
    const executionArn = JSON.parse(await s.evaluate('$$.Execution.Id', task!.id)) as string;
    const r = await sfnCall(endpoint, 'SendTaskSuccess', { taskToken: JSON.parse(token), output: '{"paid":true}' });
    assert.equal(r.status, 200);
    assert.match(await s.ended(), /Execution SUCCEEDED after 1 state in \d+ ms; output \{"paid":true\}/);
    assert.deepEqual(await objectsOf(executionArn), []);
  });
});
