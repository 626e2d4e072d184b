/** Task definition lookup in the local run config and the ECS output shapes (no Docker needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatesError } from '../../asl/src/types';
import { echoOverrides } from '../src/drivers/ecs/shapes';
import { parseTaskDefinitionRef, resolveTaskDefinition } from '../src/drivers/ecs/taskDefinitions';
import type { LocalRunConfig } from '../src/drivers/types';
import { testConfig } from './ecs-helpers';

const ctx = { region: 'eu-west-1', account: '111122223333' };
const def = (family: string) => ({ family, containerDefinitions: [{ name: 'c', image: `img-${family}` }] });

describe('task definition references', () => {
  it('splits family, family:revision and ARNs', () => {
    assert.deepEqual(parseTaskDefinitionRef('job'), { arn: undefined, family: 'job', revision: undefined });
    assert.deepEqual(parseTaskDefinitionRef('job:12'), { arn: undefined, family: 'job', revision: 12 });
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/job:3';
    assert.deepEqual(parseTaskDefinitionRef(arn), { arn, family: 'job', revision: 3 });
  });

  it('matches ARN, then family:revision, then family, then the highest revision', () => {
    const config: LocalRunConfig = {
      taskDefinitions: {
        'arn:aws:ecs:us-east-1:123456789012:task-definition/job:3': def('by-arn'),
        'job:2': def('by-revision'),
        job: def('by-family'),
        'other:1': def('other-1'),
        'other:5': def('other-5'),
      },
    };
    const image = (ref: string) => resolveTaskDefinition(ref, config, ctx).definition.containerDefinitions[0].image;
    assert.equal(image('arn:aws:ecs:us-east-1:123456789012:task-definition/job:3'), 'img-by-arn');
    assert.equal(image('job:3'), 'img-by-arn');
    assert.equal(image('job:2'), 'img-by-revision');
    assert.equal(image('arn:aws:ecs:us-east-1:123456789012:task-definition/job:2'), 'img-by-revision');
    assert.equal(image('job:9'), 'img-by-family');
    assert.equal(image('job'), 'img-by-family');
    assert.equal(image('other'), 'img-other-5');
    const r = resolveTaskDefinition('job:2', config, ctx);
    assert.equal(r.arn, 'arn:aws:ecs:eu-west-1:111122223333:task-definition/by-revision:2');
  });

  it('loads files relative to the config and accepts describe-task-definition output', () => {
    const r = resolveTaskDefinition('echo-task', testConfig(), ctx);
    assert.equal(r.family, 'echo-task');
    assert.equal(r.definition.cpu, '256');
    const wrapped = resolveTaskDefinition(
      'w',
      { taskDefinitions: { w: { taskDefinition: { ...def('wrapped'), revision: 4 } } } },
      ctx,
    );
    assert.equal(wrapped.arn, 'arn:aws:ecs:eu-west-1:111122223333:task-definition/wrapped:4');
  });

  it('says exactly what to add for an unmapped TaskDefinition', () => {
    assert.throws(
      () =>
        resolveTaskDefinition(
          'arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1',
          { taskDefinitions: {} },
          ctx,
        ),
      (e: StatesError) => {
        assert.equal(e.error, 'ECS.InvalidParameterException');
        assert.match(e.cause, /^TaskDefinition not found\./);
        assert.ok(
          e.cause.includes(
            '{"taskDefinitions":{"arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1":"./nope.task-definition.json"}}',
          ),
        );
        return true;
      },
    );
  });

  it('rejects invalid definitions with ECS.ClientException', () => {
    const bad = (d: unknown) => () =>
      resolveTaskDefinition('x', { taskDefinitions: { x: d as Record<string, unknown> } }, ctx);
    assert.throws(bad({ family: 'x', containerDefinitions: [] }), /containerDefinitions must be a non-empty array/);
    assert.throws(bad({ family: 'x', containerDefinitions: [{ name: 'a' }] }), /image is required/);
    assert.throws(
      bad({
        family: 'x',
        containerDefinitions: [{ name: 'a', image: 'i', dependsOn: [{ containerName: 'b', condition: 'START' }] }],
      }),
      /unknown container "b"/,
    );
    assert.throws(
      bad({ family: 'x', containerDefinitions: [{ name: 'a', image: 'i', essential: false }] }),
      /at least one container must be essential/,
    );
    assert.throws(
      () => resolveTaskDefinition('f', { taskDefinitions: { f: './does-not-exist.json' } }, ctx),
      (e: StatesError) => e.error === 'ECS.ClientException',
    );
  });
});

describe('output shapes', () => {
  it('echoes container overrides with the empty arrays ECS fills in', () => {
    assert.deepEqual(echoOverrides({ ContainerOverrides: [{ Name: 'a', Command: ['x'] }], Cpu: '512' }), {
      ContainerOverrides: [
        { Command: ['x'], Environment: [], EnvironmentFiles: [], ResourceRequirements: [], Name: 'a' },
      ],
      Cpu: '512',
      InferenceAcceleratorOverrides: [],
    });
  });
});
