import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseDocument } from '../src/parse/index';
import { listIntegrations } from '../src/integrations/index';
import { buildModel } from '../src/model';
import {
  policyForMachine,
  policyForState,
  iamActionsForState,
  kubernetesRbacNote,
  mergeStatements,
  policyNotes,
  inferredStatementsNote,
} from '../src/iam/index';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures', 'iam');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

describe('policyForMachine: fixtures', () => {
  for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.asl.json'))) {
    const base = f.replace(/\.asl\.json$/, '');
    test(`${base} produces ${base}.policy.json`, () => {
      const model = buildModel(parseDocument(readFileSync(path.join(fixtures, f), 'utf8'), 'json'));
      const ctxFile = path.join(fixtures, `${base}.context.json`);
      const ctx = existsSync(ctxFile) ? readJson(ctxFile) : {};
      const actual = policyForMachine(model, ctx);
      assert.deepEqual(actual, readJson(path.join(fixtures, `${base}.policy.json`)));
      // a one-state machine's state policy equals the machine policy
      if (model.states.length === 1) assert.deepEqual(policyForState(model.states[0], ctx), actual);
    });
  }
});

describe('IAM helpers', () => {
  const model = buildModel(
    parseDocument(readFileSync(path.join(fixtures, 'ecs-run-task-sync.asl.json'), 'utf8'), 'json'),
  );

  test('iamActionsForState lists sorted actions', () => {
    assert.deepEqual(iamActionsForState(model.states[0]), [
      'ecs:DescribeTasks',
      'ecs:RunTask',
      'ecs:StopTask',
      'events:DescribeRule',
      'events:PutRule',
      'events:PutTargets',
    ]);
  });

  test('kubernetesRbacNote only for runJob / call', () => {
    const eks = buildModel(
      parseDocument(readFileSync(path.join(fixtures, 'eks-run-job-and-call.asl.json'), 'utf8'), 'json'),
    );
    for (const s of eks.states)
      assert.match(kubernetesRbacNote(s) ?? '', /aws-auth[\s\S]*access entry|access entry[\s\S]*aws-auth/);
    assert.equal(kubernetesRbacNote(model.states[0]), undefined);
    assert.deepEqual(
      policyNotes(eks).map((n) => [n.key, n.states]),
      [
        ['eks:runJob', ['Run a job on EKS']],
        ['eks:call', ['Call EKS']],
      ],
    );
  });

  test('a machine merges statements across states and nested scopes', () => {
    const text = JSON.stringify({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'A',
              States: {
                A: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::ecs:runTask.sync',
                  Parameters: { TaskDefinition: 'a:1' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'B',
              States: {
                B: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::ecs:runTask',
                  Parameters: { TaskDefinition: 'b:2' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'C',
              States: {
                C: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
                  Parameters: { TaskDefinition: 'a:1' },
                  End: true,
                },
              },
            },
          ],
        },
      },
    });
    const p = policyForMachine(buildModel(parseDocument(text, 'json')), {
      region: 'us-east-1',
      account: '123456789012',
    });
    assert.deepEqual(p.Statement, [
      { Sid: 'DocumentedByAws1', Effect: 'Allow', Action: ['ecs:DescribeTasks', 'ecs:StopTask'], Resource: ['*'] },
      {
        Sid: 'DocumentedByAws2',
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: [
          'arn:aws:ecs:us-east-1:123456789012:task-definition/a:1',
          'arn:aws:ecs:us-east-1:123456789012:task-definition/b:2',
        ],
      },
      {
        Sid: 'DocumentedByAws3',
        Effect: 'Allow',
        Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
        Resource: ['arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForECSTaskRule'],
      },
    ]);
  });

  test('mergeStatements drops what a * statement already allows and is order-independent', () => {
    const a = { Effect: 'Allow' as const, Action: ['ecs:RunTask'], Resource: ['arn:x'] };
    const b = { Effect: 'Allow' as const, Action: ['ecs:StopTask', 'ecs:RunTask'], Resource: ['*'] };
    const c = {
      Effect: 'Allow' as const,
      Action: ['iam:PassRole'],
      Resource: ['arn:r'],
      Condition: { StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' } },
    };
    const one = mergeStatements([a, b, c, a]);
    assert.deepEqual(one, [
      { Sid: 'DocumentedByAws1', Effect: 'Allow', Action: ['ecs:RunTask', 'ecs:StopTask'], Resource: ['*'] },
      { Sid: 'DocumentedByAws2', ...c },
    ]);
    assert.deepEqual(mergeStatements([c, a, b]), one);
  });

  test('mergeStatements keeps inferred statements apart and numbers them after the documented ones', () => {
    const documented = { Effect: 'Allow' as const, Action: ['ecs:RunTask'], Resource: ['arn:x'] };
    const inferredSameResource = {
      Sid: 'Inferred',
      Effect: 'Allow' as const,
      Action: ['ecs:TagResource'],
      Resource: ['arn:x'],
    };
    const inferredCoveredByDocumentedWildcard = {
      Sid: 'Inferred',
      Effect: 'Allow' as const,
      Action: ['ecs:StopTask'],
      Resource: ['arn:y'],
    };
    const documentedWildcard = { Effect: 'Allow' as const, Action: ['ecs:StopTask'], Resource: ['*'] };
    const merged = mergeStatements([
      inferredSameResource,
      documented,
      inferredCoveredByDocumentedWildcard,
      documentedWildcard,
    ]);
    assert.deepEqual(merged, [
      { Sid: 'DocumentedByAws1', Effect: 'Allow', Action: ['ecs:RunTask'], Resource: ['arn:x'] },
      { Sid: 'DocumentedByAws2', Effect: 'Allow', Action: ['ecs:StopTask'], Resource: ['*'] },
      { Sid: 'Inferred1', Effect: 'Allow', Action: ['ecs:TagResource'], Resource: ['arn:x'] },
    ]);
    // merging a merged policy again changes nothing
    assert.deepEqual(mergeStatements(merged), merged);
  });

  test('non-Task states, SDK integrations and unknown resources need nothing', () => {
    const text = JSON.stringify({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:ecs:describeClusters', Next: 'C' },
        C: { Type: 'Task', Resource: 'arn:aws:states:::ecs:noSuchThing', Parameters: 5, End: true },
      },
    });
    assert.deepEqual(policyForMachine(buildModel(parseDocument(text, 'json'))).Statement, []);
  });
});

describe('documented and inferred statements', () => {
  const machine = (state: Record<string, unknown>) =>
    buildModel(
      parseDocument(JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', End: true, ...state } } }), 'json'),
    );
  const ctx = { region: 'eu-west-1', account: '123456789012' };
  const ecs = (parameters: Record<string, unknown>) =>
    policyForState(
      machine({ Resource: 'arn:aws:states:::ecs:runTask', Parameters: { TaskDefinition: 'etl:3', ...parameters } })
        .states[0],
      ctx,
    );

  test('every Sid is alphanumeric and unique, as IAM requires', () => {
    for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.policy.json'))) {
      const sids = (readJson(path.join(fixtures, f)) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
      for (const sid of sids) assert.match(sid, /^(DocumentedByAws|Inferred)[0-9]+$/, f);
      assert.equal(new Set(sids).size, sids.length, f);
    }
  });

  test('AWS template statements are DocumentedByAws; TagResource and PassRole for Overrides roles are Inferred', () => {
    const p = ecs({
      Tags: [{ Key: 'k', Value: 'v' }],
      Overrides: { TaskRoleArn: 'arn:aws:iam::123456789012:role/app' },
    });
    assert.deepEqual(
      p.Statement.map((s) => [s.Sid, s.Action.join(',')]),
      [
        ['DocumentedByAws1', 'ecs:RunTask'],
        ['Inferred1', 'ecs:TagResource'],
        ['Inferred2', 'iam:PassRole'],
      ],
    );
    assert.deepEqual(p.Statement[2].Condition, { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  test('a dynamic Overrides.$ gets the same PassRole suggestion as a dynamic TaskRoleArn.$', () => {
    const whole = ecs({ 'Overrides.$': '$.overrides' });
    const role = ecs({ Overrides: { 'TaskRoleArn.$': '$.role' } });
    assert.deepEqual(whole, role);
    assert.deepEqual(whole.Statement[1], {
      Sid: 'Inferred1',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::123456789012:role/*'],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  });

  test('every Fargate profile statement is Inferred, and the note says so', () => {
    for (const resource of ['eks:createFargateProfile.sync', 'eks:deleteFargateProfile']) {
      const model = machine({
        Resource: `arn:aws:states:::${resource}`,
        Parameters: {
          ClusterName: 'c',
          FargateProfileName: 'p',
          PodExecutionRoleArn: 'arn:aws:iam::123456789012:role/pod',
        },
      });
      const p = policyForState(model.states[0], ctx);
      assert.ok(p.Statement.length > 0);
      for (const s of p.Statement) assert.match(s.Sid ?? '', /^Inferred\d+$/, resource);
      assert.match(policyNotes(model)[0].note, /AWS publishes no policy template for the Fargate profile APIs/);
    }
  });

  test('the note names the inferred statements and is absent when all are documented', () => {
    const p = ecs({ Tags: [{ Key: 'k', Value: 'v' }] });
    assert.equal(
      inferredStatementsNote(p.Statement),
      'Inferred, not documented by AWS: Inferred1 (ecs:TagResource). AWS publishes no policy template with these ' +
        'statements; asl-workbench suggests them, so review them before use. Statements whose Sid starts with ' +
        "DocumentedByAws follow AWS's templates (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, " +
        'https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html).',
    );
    assert.equal(inferredStatementsNote(ecs({}).Statement), undefined);
  });
});

describe('IAM never throws', () => {
  test('on random Parameters / Arguments for every integration and pattern', () => {
    const resources = listIntegrations().flatMap((a) =>
      (['', '.sync', '.waitForTaskToken'] as const).map((suffix) => `arn:aws:states:::${a.key}${suffix}`),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...resources),
        fc.jsonValue({ maxDepth: 4 }),
        fc.boolean(),
        (resource, payload, jsonata) => {
          const state: Record<string, unknown> = { Type: 'Task', Resource: resource, End: true };
          state[jsonata ? 'Arguments' : 'Parameters'] = payload;
          const machine = { QueryLanguage: jsonata ? 'JSONata' : 'JSONPath', StartAt: 'T', States: { T: state } };
          const model = buildModel(parseDocument(JSON.stringify(machine), 'json'));
          const policy = policyForMachine(model, { region: 'eu-central-1', account: '123456789012' });
          for (const st of policy.Statement) {
            assert.ok(st.Action.length > 0 && st.Resource.length > 0);
            assert.match(st.Sid ?? '', /^[A-Za-z0-9]+$/);
            for (const r of st.Resource) assert.ok(r === '*' || r.startsWith('arn:aws:'), r);
          }
          iamActionsForState(model.states[0]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
