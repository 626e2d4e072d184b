import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findIntegration, listIntegrations, field, taskDefinitionArn } from '../src/integrations/index';
import type { IntegrationPattern } from '../src/types';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ctx = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

describe('integration catalogue', () => {
  test('lists ECS runTask and the eight EKS actions', () => {
    assert.deepEqual(
      listIntegrations().map((a) => a.key),
      [
        'ecs:runTask',
        'eks:runJob',
        'eks:call',
        'eks:createCluster',
        'eks:deleteCluster',
        'eks:createFargateProfile',
        'eks:deleteFargateProfile',
        'eks:createNodegroup',
        'eks:deleteNodegroup',
      ],
    );
  });

  test('each integration offers the patterns AWS documents for it', () => {
    const isPatternSupported = (key: string, pattern: IntegrationPattern) =>
      findIntegration(key)?.patterns.includes(pattern) ?? false;
    assert.ok(isPatternSupported('ecs:runTask', 'requestResponse'));
    assert.ok(isPatternSupported('ecs:runTask', 'sync'));
    assert.ok(isPatternSupported('ecs:runTask', 'waitForTaskToken'));
    assert.ok(isPatternSupported('eks:runJob', 'sync'));
    assert.ok(!isPatternSupported('eks:runJob', 'waitForTaskToken'));
    assert.ok(isPatternSupported('eks:call', 'requestResponse'));
    assert.ok(!isPatternSupported('eks:call', 'sync'));
    for (const a of [
      'createCluster',
      'deleteCluster',
      'createFargateProfile',
      'deleteFargateProfile',
      'createNodegroup',
      'deleteNodegroup',
    ]) {
      assert.ok(isPatternSupported(`eks:${a}`, 'sync'), a);
      assert.ok(isPatternSupported(`eks:${a}`, 'requestResponse'), a);
      assert.ok(!isPatternSupported(`eks:${a}`, 'waitForTaskToken'), a);
    }
    assert.ok(!isPatternSupported('ecs:nope', 'requestResponse'));
  });

  test('every action is fully documented and has a schema id', () => {
    for (const a of listIntegrations()) {
      assert.equal(a.key, `${a.service}:${a.action}`);
      assert.ok(a.summary.length > 10, a.key);
      assert.ok(a.required.length > 0, a.key);
      assert.ok(a.errors.length > 0, a.key);
      for (const p of a.patterns) {
        assert.ok(a.patternDocs[p], `${a.key} ${p} doc`);
        assert.ok(a.output[p], `${a.key} ${p} output`);
      }
      assert.match(a.parametersSchemaId, /^(ecs|eks)-[a-z-]+$/);
      const schema = path.join(repo, 'schemas', `${a.parametersSchemaId}.schema.json`);
      if (existsSync(path.join(repo, 'schemas'))) assert.ok(existsSync(schema), `missing ${schema}`);
    }
  });

  test('required parameters are the ones AWS documents', () => {
    assert.deepEqual(findIntegration('ecs:runTask')?.required, ['TaskDefinition']);
    assert.deepEqual(findIntegration('eks:runJob')?.required, [
      'ClusterName',
      'CertificateAuthority',
      'Endpoint',
      'Job',
    ]);
    assert.deepEqual(findIntegration('eks:call')?.required, [
      'ClusterName',
      'CertificateAuthority',
      'Endpoint',
      'Method',
      'Path',
    ]);
    assert.deepEqual(findIntegration('eks:createNodegroup')?.required, [
      'ClusterName',
      'NodegroupName',
      'Subnets',
      'NodeRole',
    ]);
  });

  test('ECS errors include the documented names', () => {
    const names = findIntegration('ecs:runTask')!.errors.map((e) => e.name);
    for (const n of [
      'States.TaskFailed',
      'AmazonECS.Unknown',
      'ECS.AmazonECSException',
      'ECS.InvalidParameterException',
      'States.Timeout',
    ])
      assert.ok(names.includes(n), n);
    assert.ok(findIntegration('eks:runJob')!.errors.some((e) => e.name === 'EKS.401'));
  });

  test('runJob and call need no IAM but carry the RBAC note', () => {
    for (const k of ['eks:runJob', 'eks:call']) {
      const a = findIntegration(k)!;
      assert.deepEqual(a.iam({ ClusterName: 'x' }, 'requestResponse', ctx), []);
      assert.match(a.notes ?? '', /system:masters/);
    }
  });

  test('iam never throws on odd parameters', () => {
    for (const a of listIntegrations()) {
      for (const p of [undefined, null, 5, 'x', '{% $x %}', [], { TaskDefinition: 5, Overrides: 'x', Tags: null }]) {
        for (const pat of a.patterns) assert.ok(Array.isArray(a.iam(p, pat, ctx)));
      }
    }
  });
});

describe('static vs dynamic fields', () => {
  test('field() tells absent, static and dynamic apart', () => {
    assert.deepEqual(field({ A: 1 }, 'A'), { kind: 'static', value: 1 });
    assert.deepEqual(field({ 'A.$': '$.a' }, 'A'), { kind: 'dynamic' });
    assert.deepEqual(field({ A: '{% $states.input.a %}' }, 'A'), { kind: 'dynamic' });
    assert.deepEqual(field('{% $states.input %}', 'A'), { kind: 'dynamic' });
    assert.deepEqual(field({}, 'A'), { kind: 'absent' });
    assert.deepEqual(field(null, 'A'), { kind: 'absent' });
  });

  test('taskDefinitionArn handles family, family:revision and ARNs', () => {
    assert.equal(taskDefinitionArn('app', ctx), 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:*');
    assert.equal(taskDefinitionArn('app:4', ctx), 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:4');
    assert.equal(
      taskDefinitionArn('arn:aws:ecs:eu-west-1:1:task-definition/app:2', ctx),
      'arn:aws:ecs:eu-west-1:1:task-definition/app:2',
    );
    assert.equal(
      taskDefinitionArn('arn:aws:ecs:eu-west-1:1:task-definition/app', ctx),
      'arn:aws:ecs:eu-west-1:1:task-definition/app:*',
    );
  });
});
