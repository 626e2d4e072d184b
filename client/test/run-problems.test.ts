/**
 * Run Locally's "something is missing" detection (client/src/run/problems.ts) on the typed
 * problems the real drivers raise, and the run-config edits its actions write (runConfigEdit.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runExecution } from '../../runner/src/api';
import { ContainerEngine, EngineUnavailableError } from '../../runner/src/drivers/docker/engine';
import { resolveTaskDefinition } from '../../runner/src/drivers/ecs/taskDefinitions';
import { Kind } from '../../runner/src/drivers/eks/kind';
import { ProblemError, type RunProblem } from '../../runner/src/problems';
import { clusterNamesIn, kubeContextNames, problemOf } from '../src/run/problems';
import {
  relativeRef,
  taskDefinitionTemplate,
  withClusterOnContainers,
  withKubeContext,
  withTaskDefinition,
} from '../src/run/runConfigEdit';
import { machineName as machineNameOf } from '../../runner/src/config';
import { inputFilesNextTo } from '../src/run/inputs';

/** The error `fn` throws, which must be a driver's ProblemError. */
function raised(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ProblemError, String(e));
    return e;
  }
  assert.fail('nothing was thrown');
}

/** A TaskFailed event as the worker forwards it. */
function taskFailed(id: number, details: Record<string, unknown>) {
  return { id, previousEventId: id - 1, type: 'TaskFailed', taskFailedEventDetails: details };
}

describe('run problems', () => {
  it("recognises an unmapped TaskDefinition from the ECS driver's own error, with the JSON to add", () => {
    // the error the driver raises before any container starts (no engine needed here)
    const failure = raised(() =>
      resolveTaskDefinition('billing-job:3', {}, { region: 'us-east-1', account: '123456789012' }),
    );
    assert.deepEqual(problemOf({ problem: failure.problem, cause: failure.cause }, []), {
      kind: 'taskDefinitionNotMapped',
      taskDefinition: 'billing-job:3',
      add: { taskDefinitions: { 'billing-job:3': './billing-job.task-definition.json' } },
      message: failure.cause,
    });
  });

  it('classifies by the typed problem: a reworded cause changes nothing, a familiar cause without a problem is no problem', () => {
    const problems: RunProblem[] = [
      { kind: 'engineUnavailable', endpoint: 'unix:///var/run/docker.sock' },
      { kind: 'taskDefinitionNotMapped', taskDefinition: 'job', add: { taskDefinitions: { job: './job.json' } } },
      { kind: 'noCluster', clusterName: 'demo' },
      { kind: 'kindMissing' },
      { kind: 'mockMissing', stateName: 'Charge', testCase: 'Happy', response: 'Ok', invocation: 1 },
    ];
    for (const problem of problems) {
      const found = problemOf({ problem, cause: 'Reworded: something else entirely.' }, []);
      assert.deepEqual(found, { ...problem, message: 'Reworded: something else entirely.' });
    }
    // the text the drivers used to be recognised by, without a typed problem
    const events = [
      taskFailed(4, {
        error: 'ECS.InvalidParameterException',
        cause: 'TaskDefinition not found. — asl-workbench: no task definition is mapped for "job".',
      }),
      taskFailed(5, { error: 'AslWorkbench.NoCluster', cause: 'none is reachable for demo (no context)' }),
    ];
    assert.equal(problemOf({ cause: 'no task definition is mapped for "job"' }, events), undefined);
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
    const raisedByDriver = failure.toStatesError();
    const p = problemOf({ problem: raisedByDriver.problem, cause: raisedByDriver.cause }, []);
    assert.equal(p?.kind, 'engineUnavailable');
    assert.equal(p.kind === 'engineUnavailable' && p.endpoint, 'unix:///nonexistent/docker.sock');
    assert.match(p.message, /No container engine answered at unix:\/\/\/nonexistent\/docker\.sock/);
    assert.match(p.message, /Install Docker or Podman and start it/);
    assert.match(p.message, /DOCKER_HOST/);
    assert.match(p.message, /the VS Code setting aslWorkbench\.containerEngine\.host/);
    assert.doesNotMatch(p.message, /scripts\/|setup-docker/);
  });

  it('recognises an absent kind from the error the EKS driver raises', () => {
    const failure = raised(() => new Kind({}, { PATH: '' }));
    assert.deepEqual(problemOf({ problem: failure.problem, cause: failure.cause }, []), {
      kind: 'kindMissing',
      message: failure.cause,
    });
  });

  it('finds a problem a Catch turned into another error', () => {
    const events = [
      taskFailed(5, {
        error: 'AslWorkbench.EngineUnavailable',
        cause: 'x',
        problem: { kind: 'engineUnavailable', endpoint: 'unix:///x' },
      }),
      { id: 6, previousEventId: 5, type: 'FailStateEntered', stateEnteredEventDetails: { name: 'F' } },
    ];
    assert.deepEqual(problemOf({ cause: 'y' }, events), {
      kind: 'engineUnavailable',
      endpoint: 'unix:///x',
      message: 'x',
    });
  });

  it('a Task no driver runs is a noDriver problem, from the runner to the UI', async () => {
    const r = await runExecution({
      definition: {
        StartAt: 'Send',
        States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
      },
      stateMachineName: 'Notify',
      drivers: [],
      timeScale: 0,
    });
    const p = problemOf(r, r.history);
    assert.equal(p?.kind, 'noDriver');
    assert.equal(p.kind === 'noDriver' && p.stateName, 'Send');
    assert.deepEqual(p.kind === 'noDriver' && p.mock.StateMachines, {
      Notify: { TestCases: { HappyPath: { Send: 'MockedSuccess' } } },
    });
    assert.match(p.message, /^No local driver can run the resource 'arn:aws:states:::sqs:sendMessage' of state 'Send'/);
  });

  it('ignores a problem field it does not know (bad input from the worker)', () => {
    const events = [
      taskFailed(3, { error: 'E', cause: 'c', problem: { kind: 'somethingNew' } }),
      taskFailed(4, { error: 'E', cause: 'c', problem: 'engineUnavailable' }),
      taskFailed(5, { error: 'E', cause: 'c', problem: null }),
    ];
    assert.equal(problemOf({ problem: { kind: 'toString' } as unknown as RunProblem }, events), undefined);
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
