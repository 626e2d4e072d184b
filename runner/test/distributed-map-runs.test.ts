/**
 * Distributed Map runs over local stand-ins of S3 buckets: the Map Run events, child
 * executions, stopping, ItemBatcher, tolerated failures, ResultWriter files and an unmapped
 * result bucket. Sources: the Step Functions developer guide pages on ItemBatcher,
 * ResultWriter and the Distributed Map state
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html and the
 * pages beside it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startExecution } from '../src/api';
import { FakeDriver, untilAborted } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import { folder, getObject, machine, ok, removeFolders, run } from './distributedMapHost';

after(removeFolders);

describe('Map Run events and child executions', () => {
  it('records MapStateStarted, MapRunStarted with the Map Run ARN, MapRunSucceeded and MapStateSucceeded', async () => {
    const dir = folder({ 'items.json': '[1,2]' });
    const r = await run(machine({ ...getObject('items.json', { InputType: 'JSON' }), Label: 'EachRow' }), {
      buckets: { data: dir },
    });
    ok(r);
    assert.deepEqual(
      r.history.map((e) => e.type),
      [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        'MapRunStarted',
        'MapRunSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
        'ExecutionSucceeded',
      ],
    );
    const started = r.history.find((e) => e.type === 'MapRunStarted')!;
    assert.match(
      String((started.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn),
      /^arn:aws:states:us-east-1:123456789012:mapRun:rows\/EachRow:[0-9a-f-]{36}$/,
    );
  });
});

describe('child executions', () => {
  it('each child sees its own $$.Execution and $$.StateMachine', async () => {
    const r = await run(
      machine(
        { ItemsPath: '$.items' },
        {
          Type: 'Pass',
          Parameters: {
            'id.$': '$$.Execution.Id',
            'name.$': '$$.Execution.Name',
            'input.$': '$$.Execution.Input',
            'machine.$': '$$.StateMachine',
          },
          End: true,
        },
      ),
      undefined,
      { input: { items: [{ n: 1 }] } },
    );
    ok(r);
    const [child] = r.output as Array<{ id: string; name: string; input: unknown; machine: unknown }>;
    assert.equal(child!.id, `arn:aws:states:us-east-1:123456789012:execution:rows/Each:${child!.name}`);
    assert.deepEqual(child!.input, { n: 1 });
    assert.deepEqual(child!.machine, {
      Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:rows/Each',
      Name: 'rows/Each',
    });
  });
});

describe('stopping the execution during a Map Run', () => {
  it('records MapRunAborted and the execution ends ABORTED', async () => {
    const driver = new FakeDriver((inv) => untilAborted(inv.signal));
    const started = startExecution({
      definition: machine({ ItemsPath: '$.items' }, FAILING_TASK),
      input: { items: [1, 2] },
      drivers: [driver],
      timeScale: 0,
    });
    await waitFor(() => driver.invocations.length === 2, { deadlineMs: 5000, message: 'both children to start' });
    started.stop();
    const r = await started.result;
    assert.equal(r.status, 'ABORTED');
    assert.deepEqual(
      r.history.slice(-2).map((e) => e.type),
      ['MapRunAborted', 'ExecutionAborted'],
    );
  });
});

describe('ItemBatcher', () => {
  it('MaxItemsPerBatch groups the selected items with BatchInput into one child input per batch', async () => {
    const dir = folder({ 'rows.csv': 'id\n1\n2\n3\n4\n5\n' });
    const r = await run(
      machine({
        ...getObject('rows.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }),
        ItemSelector: { 'id.$': '$$.Map.Item.Value.id' },
        ItemBatcher: { MaxItemsPerBatchPath: '$.per', BatchInput: { 'job.$': '$.job' } },
      }),
      { buckets: { data: dir } },
      { input: { per: 2, job: 'nightly' } },
    );
    ok(r);
    assert.deepEqual(r.output, [
      { BatchInput: { job: 'nightly' }, Items: [{ id: '1' }, { id: '2' }] },
      { BatchInput: { job: 'nightly' }, Items: [{ id: '3' }, { id: '4' }] },
      { BatchInput: { job: 'nightly' }, Items: [{ id: '5' }] },
    ]);
  });

  it('MaxInputBytesPerBatch starts a new batch before the items would exceed it', async () => {
    const items = ['aaaa', 'bbbb', 'cccc'];
    const r = await run(machine({ ItemsPath: '$.items', ItemBatcher: { MaxInputBytesPerBatch: 13 } }), undefined, {
      input: { items },
    });
    ok(r);
    // each item is 6 bytes of JSON: two fit in 13
    assert.deepEqual(r.output, [{ Items: ['aaaa', 'bbbb'] }, { Items: ['cccc'] }]);
  });
});

const FAILING_TASK = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };

/** A driver failing the items whose `fail` is true. */
function failing(): FakeDriver {
  return new FakeDriver(async (inv) => {
    const p = inv.parameters as { fail?: boolean; Items?: Array<{ fail?: boolean }> };
    if (p.fail || p.Items?.some((i) => i.fail))
      throw Object.assign(new Error('x'), { error: 'Work.Failed', cause: 'boom' });
    return { kind: 'done', output: { done: true } };
  });
}

describe('tolerated failures', () => {
  const items = [{ fail: false }, { fail: true }, { fail: false }, { fail: true }];

  it('without a tolerance one failed child fails the Map Run with States.ExceedToleratedFailureThreshold', async () => {
    const r = await run(machine({ ItemsPath: '$.items', MaxConcurrency: 1 }, FAILING_TASK), undefined, {
      input: { items },
      drivers: [failing()],
    });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.ExceedToleratedFailureThreshold');
    const failed = r.history.find((e) => e.type === 'MapRunFailed')!;
    assert.equal(
      (failed.mapRunFailedEventDetails as { error: string }).error,
      'States.ExceedToleratedFailureThreshold',
    );
    assert.deepEqual(
      r.history.slice(-4).map((e) => e.type),
      ['MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed'],
    );
  });

  it('ToleratedFailureCount 2 lets two of four items fail; the failed ones have their Error and Cause', async () => {
    const r = await run(machine({ ItemsPath: '$.items', ToleratedFailureCount: 2 }, FAILING_TASK), undefined, {
      input: { items },
      drivers: [failing()],
    });
    ok(r);
    assert.deepEqual(r.output, [
      { done: true },
      { Error: 'Work.Failed', Cause: 'boom' },
      { done: true },
      { Error: 'Work.Failed', Cause: 'boom' },
    ]);
  });

  it('ToleratedFailurePercentagePath 25 with half the items failing exceeds the threshold', async () => {
    const r = await run(
      machine({ ItemsPath: '$.items', ToleratedFailurePercentagePath: '$.pct' }, FAILING_TASK),
      undefined,
      { input: { items, pct: 25 }, drivers: [failing()] },
    );
    assert.equal(r.error, 'States.ExceedToleratedFailureThreshold');
  });

  it('a failed batch counts all its items as failed', async () => {
    // one batch of two items fails: 2 of 4 items, over a tolerance of 1
    const r = await run(
      machine(
        { ItemsPath: '$.items', ItemBatcher: { MaxItemsPerBatch: 2 }, ToleratedFailureCount: 1 },
        { ...FAILING_TASK, Parameters: { 'Items.$': '$.Items' } },
      ),
      undefined,
      { input: { items: [{ fail: true }, { fail: false }, { fail: false }, { fail: false }] }, drivers: [failing()] },
    );
    assert.equal(r.error, 'States.ExceedToleratedFailureThreshold');
  });
});

describe('ResultWriter', () => {
  it('writes manifest.json, SUCCEEDED_0.json and FAILED_0.json under <Prefix>/<map run id>/ and returns their location', async () => {
    const out = folder();
    const r = await run(
      machine(
        {
          ItemsPath: '$.items',
          ToleratedFailureCount: 5,
          ResultWriter: {
            Resource: 'arn:aws:states:::s3:putObject',
            Parameters: { Bucket: 'results', Prefix: 'runs' },
          },
        },
        FAILING_TASK,
      ),
      { buckets: { results: out } },
      { input: { items: [{ fail: false }, { fail: true }] }, drivers: [failing()] },
    );
    ok(r);
    const result = r.output as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    const id = result.MapRunArn.slice(result.MapRunArn.lastIndexOf(':') + 1);
    assert.deepEqual(result.ResultWriterDetails, { Bucket: 'results', Key: `runs/${id}/manifest.json` });
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'runs', id, 'manifest.json'), 'utf8')) as {
      DestinationBucket: string;
      MapRunArn: string;
      ResultFiles: Record<string, Array<{ Key: string; Size: number }>>;
    };
    assert.equal(manifest.DestinationBucket, 'results');
    assert.equal(manifest.MapRunArn, result.MapRunArn);
    assert.deepEqual(manifest.ResultFiles.PENDING, []);
    assert.deepEqual(
      manifest.ResultFiles.SUCCEEDED!.map((f) => f.Key),
      [`runs/${id}/SUCCEEDED_0.json`],
    );
    const succeeded = JSON.parse(fs.readFileSync(path.join(out, 'runs', id, 'SUCCEEDED_0.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    assert.equal(succeeded.length, 1);
    assert.equal(succeeded[0]!.Status, 'SUCCEEDED');
    assert.equal(succeeded[0]!.Input, '{"fail":false}');
    assert.equal(succeeded[0]!.Output, '{"done":true}');
    assert.match(String(succeeded[0]!.ExecutionArn), /^arn:aws:states:us-east-1:123456789012:execution:rows\/Each:/);
    assert.equal(succeeded[0]!.StateMachineArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:rows/Each');
    assert.equal(
      manifest.ResultFiles.SUCCEEDED![0]!.Size,
      fs.statSync(path.join(out, 'runs', id, 'SUCCEEDED_0.json')).size,
    );
    const failed = JSON.parse(fs.readFileSync(path.join(out, 'runs', id, 'FAILED_0.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    assert.deepEqual([failed[0]!.Status, failed[0]!.Error, failed[0]!.Cause], ['FAILED', 'Work.Failed', 'boom']);
  });

  it('EXPRESS child executions have express ARNs; COMPACT with JSONL writes one output per line', async () => {
    const out = folder();
    const def = machine({
      ItemsPath: '$.items',
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'results', Prefix: '' },
        WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' },
      },
    }) as { States: { Each: { ItemProcessor: { ProcessorConfig: Record<string, string> } } } };
    def.States.Each.ItemProcessor.ProcessorConfig.ExecutionType = 'EXPRESS';
    const r = await run(def, { root: out }, { input: { items: [1, 2] } });
    ok(r);
    const { Key } = (r.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails;
    assert.match(Key, /^[0-9a-f-]{36}\/manifest\.json$/);
    const dir = path.join(out, 'results', path.dirname(Key));
    assert.equal(fs.readFileSync(path.join(dir, 'SUCCEEDED_0.json'), 'utf8'), '1\n2\n');
    // NONE without a Resource: one record per child execution in the state output
    const records = machine({
      ItemsPath: '$.items',
      ResultWriter: { WriterConfig: { Transformation: 'NONE', OutputType: 'JSON' } },
    }) as typeof def;
    const standard = await run(records, undefined, { input: { items: [1] } });
    ok(standard);
    assert.match(
      String((standard.output as Array<{ ExecutionArn: string }>)[0]!.ExecutionArn),
      /:execution:rows\/Each:/,
    );
    records.States.Each.ItemProcessor.ProcessorConfig.ExecutionType = 'EXPRESS';
    const express = await run(records, undefined, { input: { items: [1] } });
    ok(express);
    const record = (express.output as Array<Record<string, unknown>>)[0]!;
    assert.match(
      String(record.ExecutionArn),
      /^arn:aws:states:us-east-1:123456789012:express:rows\/Each:[0-9a-f-]{36}$/,
    );
    assert.deepEqual([record.Status, record.Input, record.Output], ['SUCCEEDED', '1', '1']);
  });

  it('FLATTEN without a Resource spreads array outputs into the state output', async () => {
    const r = await run(
      machine({
        ItemsPath: '$.items',
        ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSON' } },
      }),
      undefined,
      { input: { items: [[1, 2], 3] } },
    );
    ok(r);
    assert.deepEqual(r.output, [1, 2, 3]);
  });

  it('an unmapped result bucket fails with States.ResultWriterFailed before any child runs', async () => {
    const driver = failing();
    const r = await run(
      machine(
        {
          ItemsPath: '$.items',
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'nowhere', Prefix: 'p' } },
        },
        FAILING_TASK,
      ),
      undefined,
      { input: { items: [{}] }, drivers: [driver] },
    );
    assert.equal(r.error, 'States.ResultWriterFailed');
    assert.match(
      String(r.cause),
      /^The bucket 'nowhere' has no local stand-in\. .*"s3": \{ "buckets": \{ "nowhere": "\.\/s3\/nowhere" \} \}/,
    );
    assert.equal(driver.invocations.length, 0);
  });
});
