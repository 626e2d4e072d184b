/**
 * Run Locally's "something is missing" detection (client/src/run/problems.ts) on the errors
 * the real drivers raise, and the run-config edits its actions write (runConfigEdit.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../asl/src/types';
import { ContainerEngine, EngineUnavailableError } from '../../runner/src/drivers/docker/engine';
import { resolveTaskDefinition } from '../../runner/src/drivers/ecs/taskDefinitions';
import { classifyError, clusterNamesIn, kubeContextNames, problemOf } from '../src/run/problems';
import {
  relativeRef,
  taskDefinitionTemplate,
  withClusterOnContainers,
  withKubeContext,
  withTaskDefinition,
} from '../src/run/runConfigEdit';
import { inputFilesNextTo, machineNameOf } from '../src/run/inputs';

describe('run problems', () => {
  it("recognises an unmapped TaskDefinition from the ECS driver's own error", () => {
    // the error the driver raises before any container starts (no engine needed here)
    let failure: StatesError | undefined;
    try {
      resolveTaskDefinition('billing-job:3', {}, { region: 'us-east-1', account: '123456789012' });
    } catch (e) {
      failure = e as StatesError;
    }
    assert.ok(failure instanceof StatesError);
    const p = problemOf({ error: failure.error, cause: failure.cause }, []);
    assert.equal(p?.kind, 'taskDefinitionNotMapped');
    assert.equal(p.kind === 'taskDefinitionNotMapped' && p.taskDefinition, 'billing-job:3');
  });

  it('recognises engine, cluster, kind and driver errors by name', () => {
    assert.equal(
      classifyError({ error: 'AslWorkbench.EngineUnavailable', cause: 'no engine at unix:///x' })?.kind,
      'engineUnavailable',
    );
    assert.deepEqual(
      classifyError({
        error: 'AslWorkbench.NoCluster',
        cause: 'eks:call needs a Kubernetes cluster and none is reachable for demo (no context); point at…',
      }),
      {
        kind: 'noCluster',
        clusterName: 'demo',
        message: 'eks:call needs a Kubernetes cluster and none is reachable for demo (no context); point at…',
      },
    );
    assert.equal(
      classifyError({ error: 'AslWorkbench.KindFailed', cause: 'kind was not found on PATH; install it' })?.kind,
      'kindMissing',
    );
    assert.equal(
      classifyError({ error: 'AslWorkbench.KindFailed', cause: 'kind create cluster exited with 1: boom' }),
      undefined,
    );
    assert.equal(classifyError({ error: 'AslWorkbench.NoDriver', cause: 'no driver' })?.kind, 'noDriver');
    assert.equal(classifyError({ error: 'States.TaskFailed', cause: '{}' }), undefined);
  });

  it('tells a user of the installed extension how to get an engine, without repository scripts', async () => {
    // the error the ECS driver raises when nothing answers at the engine address
    const engine = new ContainerEngine({ host: 'unix:///nonexistent/docker.sock' });
    const failure = await engine.ping().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    engine.close();
    assert.ok(failure instanceof EngineUnavailableError);
    const p = classifyError({ error: EngineUnavailableError.errorName, cause: failure.message });
    assert.equal(p?.kind, 'engineUnavailable');
    assert.match(p.message, /No container engine answered at unix:\/\/\/nonexistent\/docker\.sock/);
    assert.match(p.message, /Install Docker or Podman and start it/);
    assert.match(p.message, /DOCKER_HOST/);
    assert.match(p.message, /the VS Code setting aslWorkbench\.containerEngine\.host/);
    assert.doesNotMatch(p.message, /scripts\/|setup-docker/);
  });

  it('finds a problem a Catch turned into another error', () => {
    const events = [
      {
        id: 5,
        previousEventId: 4,
        type: 'TaskFailed',
        taskFailedEventDetails: { error: 'AslWorkbench.EngineUnavailable', cause: 'x' },
      },
      { id: 6, previousEventId: 5, type: 'FailStateEntered', stateEnteredEventDetails: { name: 'F' } },
    ];
    assert.equal(problemOf({ error: 'Custom', cause: 'y' }, events)?.kind, 'engineUnavailable');
  });

  it('lists the EKS cluster names of a definition', () => {
    assert.deepEqual(
      clusterNamesIn({
        States: { A: { Parameters: { ClusterName: 'c1' } }, B: { Parameters: { ClusterName: 'c2', Job: {} } } },
      }),
      ['c1', 'c2'],
    );
  });
});

describe('run config edits', () => {
  it('adds a task definition mapping and keeps comments and other keys', () => {
    const before =
      '{\n  // local tasks\n  "$schema": "../../schemas/local-run-config.schema.json",\n  "taskDefinitions": { "a": "./a.json" }\n}\n';
    const after = withTaskDefinition(before, 'billing-job:3', './billing-job.task-definition.json');
    assert.match(after, /\/\/ local tasks/);
    const parsed = JSON.parse(after.replace(/\/\/.*\n/, '\n'));
    assert.deepEqual(parsed.taskDefinitions, { a: './a.json', 'billing-job:3': './billing-job.task-definition.json' });
  });

  it('creates the file content from nothing, and sets cluster mode and context', () => {
    const t = withKubeContext(withClusterOnContainers('', 'demo'), 'kind-dev');
    assert.deepEqual(JSON.parse(t), {
      clusters: { demo: { mode: 'containers' } },
      kubernetes: { context: 'kind-dev' },
    });
  });

  it('writes relative paths the way the examples do and a starter task definition', () => {
    assert.equal(relativeRef('/w/examples/a', '/w/examples/a/x.json'), './x.json');
    assert.equal(relativeRef('/w/examples/a', '/w/defs/x.json'), '../../defs/x.json');
    assert.deepEqual(taskDefinitionTemplate('arn:aws:ecs:us-east-1:1:task-definition/job:2', 'img'), {
      family: 'job',
      containerDefinitions: [{ name: 'main', image: 'img', essential: true, command: ['echo', 'hello from job'] }],
    });
  });
});

describe('run inputs', () => {
  it('offers the JSON files next to the machine, input.json first, no configs or task definitions', () => {
    const example = path.resolve(
      import.meta.dirname,
      '..',
      '..',
      'examples',
      'ecs-run-task-sync',
      'state-machine.asl.json',
    );
    assert.deepEqual(
      inputFilesNextTo(example).map((f) => path.basename(f)),
      ['input.json'],
    );
    assert.equal(machineNameOf(example), 'state-machine');
    assert.equal(machineNameOf('/x/flow.asl.yaml'), 'flow');
  });
});

describe('kubeconfig contexts', () => {
  it('reads the context names of a kubectl-style YAML kubeconfig and of a JSON one', () => {
    const yamlText = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'run', 'kubeconfig.yaml'), 'utf8');
    assert.deepEqual(kubeContextNames(yamlText), ['kind-dev', 'staging']);
    assert.deepEqual(kubeContextNames(JSON.stringify({ contexts: [{ name: 'a', context: {} }] })), ['a']);
    assert.deepEqual(kubeContextNames('apiVersion: v1\n'), []);
  });
});

describe('no cluster', () => {
  it('takes the ClusterName from the scheduled EKS task when the error does not name it', () => {
    const events = [
      {
        id: 3,
        previousEventId: 2,
        type: 'TaskScheduled',
        taskScheduledEventDetails: {
          resourceType: 'eks',
          resource: 'runJob.sync',
          parameters: '{"ClusterName":"pi-cluster","Job":{}}',
        },
      },
      {
        id: 4,
        previousEventId: 3,
        type: 'TaskFailed',
        taskFailedEventDetails: {
          error: 'AslWorkbench.NoCluster',
          cause: 'the kubeconfig could not be read; point at a cluster…',
        },
      },
    ];
    const p = problemOf({ error: 'AslWorkbench.NoCluster', cause: 'the kubeconfig could not be read' }, events);
    assert.equal(p?.kind === 'noCluster' && p.clusterName, 'pi-cluster');
  });
});
