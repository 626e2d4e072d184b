import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lambdaArnProblem, parseResource } from '../src/resource';

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

test('parseResource never throws', () => {
  fc.assert(fc.property(fc.string(), (s) => void parseResource(s)));
  assert.equal(parseResource(undefined as unknown as string).kind, 'unknown');
});

test('lambdaArnProblem names what is wrong with a Lambda function ARN, with its range and an obvious fix', () => {
  const base = 'arn:aws:lambda:us-east-1:123456789012:function:resize';
  for (const ok of [base, `${base}:$LATEST`, `${base}:42`, `${base}:live-2_blue`]) {
    assert.equal(lambdaArnProblem(ok), undefined, ok);
    assert.equal(parseResource(ok).kind, 'lambda', ok);
  }
  // not Lambda function ARNs, or completed at deployment
  assert.equal(lambdaArnProblem('arn:aws:states:::lambda:invoke'), undefined);
  assert.equal(lambdaArnProblem(`${base}:\${Alias}`), undefined);
  const empty = lambdaArnProblem(`${base}:`);
  assert.deepEqual(empty && { offset: empty.offset, length: empty.length, fix: empty.fix }, {
    offset: base.length,
    length: 1,
    fix: base,
  });
  const dotted = lambdaArnProblem(`${base}:v1.2`);
  assert.equal(dotted && `${base}:v1.2`.slice(dotted.offset, dotted.offset + dotted.length), 'v1.2');
  assert.equal(dotted?.fix, undefined);
  assert.equal(lambdaArnProblem(`${base}:$LATES`)?.fix, `${base}:$LATEST`);
  assert.match(lambdaArnProblem(`${base}:prod:2`)!.message, /at most one qualifier/);
  assert.match(lambdaArnProblem('arn:aws:lambda:us-east-1:12345:function:resize')!.message, /12-digit account/);
  assert.equal(parseResource(`${base}:`).kind, 'unknown');
  assert.equal(parseResource(`${base}:a$b`).kind, 'unknown');
});
