import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseResource, resourceArn } from '../src/resource';

const cases: [string, Record<string, unknown>][] = [
  [
    'arn:aws:states:::ecs:runTask',
    {
      kind: 'optimized',
      partition: 'aws',
      service: 'ecs',
      action: 'runTask',
      pattern: 'requestResponse',
      key: 'ecs:runTask',
    },
  ],
  [
    'arn:aws:states:::ecs:runTask.sync',
    { kind: 'optimized', service: 'ecs', action: 'runTask', pattern: 'sync', key: 'ecs:runTask' },
  ],
  [
    'arn:aws-cn:states:::eks:runJob.sync',
    { kind: 'optimized', partition: 'aws-cn', key: 'eks:runJob', pattern: 'sync' },
  ],
  [
    'arn:aws-us-gov:states:::ecs:runTask.waitForTaskToken',
    { kind: 'optimized', partition: 'aws-us-gov', pattern: 'waitForTaskToken' },
  ],
  [
    'arn:aws:states:::states:startExecution.sync:2',
    { kind: 'optimized', key: 'states:startExecution', pattern: 'sync' },
  ],
  ['arn:aws:states:::eks:call.sync', { kind: 'optimized', key: 'eks:call', pattern: 'sync' }],
  [
    'arn:aws:states:::aws-sdk:ecs:describeTasks',
    { kind: 'sdk', service: 'ecs', action: 'describeTasks', pattern: 'requestResponse', key: undefined },
  ],
  [
    'arn:aws:states:::aws-sdk:eks:listClusters.waitForTaskToken',
    { kind: 'sdk', service: 'eks', action: 'listClusters', pattern: 'waitForTaskToken' },
  ],
  ['arn:aws:states:::aws-sdk:ecs:runTask.sync', { kind: 'sdk', action: 'runTask', pattern: 'sync' }],
  ['arn:aws:lambda:us-east-1:123456789012:function:my-fn', { kind: 'lambda', partition: 'aws' }],
  ['arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod', { kind: 'lambda' }],
  ['arn:aws:states:us-east-1:123456789012:activity:approve', { kind: 'activity' }],
  ['arn:aws:states:::aws-sdk:ecs', { kind: 'unknown' }],
  ['arn:aws:states:::ecs', { kind: 'unknown' }],
  ['arn:aws-xx:states:::ecs:runTask', { kind: 'unknown', partition: 'aws-xx' }],
  ['ecs:runTask', { kind: 'unknown', pattern: 'requestResponse' }],
  ['', { kind: 'unknown' }],
];

for (const [raw, expected] of cases) {
  test(`parseResource(${JSON.stringify(raw)}) is ${expected.kind}${expected.pattern ? ' ' + expected.pattern : ''}`, () => {
    const r = parseResource(raw);
    assert.equal(r.raw, raw);
    for (const [k, v] of Object.entries(expected)) assert.equal((r as unknown as Record<string, unknown>)[k], v, k);
  });
}

test('resourceArn builds the resource back', () => {
  assert.equal(resourceArn('ecs:runTask', 'sync'), 'arn:aws:states:::ecs:runTask.sync');
  assert.equal(resourceArn('eks:call', 'requestResponse', 'aws-cn'), 'arn:aws-cn:states:::eks:call');
  assert.equal(parseResource(resourceArn('eks:runJob', 'waitForTaskToken')).pattern, 'waitForTaskToken');
});

test('parseResource never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => void parseResource(s)));
  assert.equal(parseResource(undefined as unknown as string).kind, 'unknown');
});
