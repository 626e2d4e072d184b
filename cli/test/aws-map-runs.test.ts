/**
 * DescribeMapRun and ListMapRuns of `serve` through the real AWS SDK client: the counts of a
 * Distributed Map's items and child executions while they run and after the Map Run ended,
 * over inline items and over a local stand-in of an S3 bucket (ItemReader, ItemBatcher,
 * ResultWriter). Child tasks wait for their task token, so the test decides when each ends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SFNClient, type DescribeMapRunCommandOutput } from '@aws-sdk/client-sfn';
import {
  deployStateMachine,
  describeMapRun,
  listMapRuns,
  sendTaskFailure,
  sendTaskSuccess,
  startExecution,
  watchExecution,
} from '../../runner/src/aws/client';
import { startSdkEndpoint, type SdkEndpoint } from '../../runner/test/sdkEndpoint';
import type { DriverResult, TaskDriver } from '../../runner/src/drivers/types';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-test';

/** Every task waits for its token; the tokens in the order the tasks started. */
class TokenDriver implements TaskDriver {
  readonly name = 'tokens';
  readonly tokens: string[] = [];
  canHandle(): boolean {
    return true;
  }
  async invoke(inv: { taskToken?: string }): Promise<DriverResult> {
    if (inv.taskToken) this.tokens.push(inv.taskToken);
    return { kind: 'submitted', output: {} };
  }
}

/** A Distributed Map whose child executions each run one task waiting for its token. */
const distributedMap = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        Label: 'Rows',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Ask',
          States: {
            Ask: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
              Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$' },
              End: true,
            },
          },
        },
        ...fields,
        End: true,
      },
    },
  });

const counts = (pending: number, running: number, succeeded: number, failed: number, aborted = 0, written = 0) => ({
  pending,
  running,
  succeeded,
  failed,
  timedOut: 0,
  aborted,
  total: pending + running + succeeded + failed + aborted,
  resultsWritten: written,
});

describe('DescribeMapRun and ListMapRuns of serve through the AWS SDK', () => {
  let served: SdkEndpoint;
  let client: SFNClient;
  let driver: TokenDriver;
  let buckets: string;

  before(async () => {
    buckets = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-map-runs-'));
    fs.mkdirSync(path.join(buckets, 'data'));
    fs.mkdirSync(path.join(buckets, 'results'));
    fs.writeFileSync(path.join(buckets, 'data', 'rows.json'), JSON.stringify([1, 2, 3, 4, 5]));
    served = await startSdkEndpoint({
      timeScale: 0,
      drivers: () => [driver],
      config: { s3: { buckets: { data: path.join(buckets, 'data'), results: path.join(buckets, 'results') } } },
    });
    client = served.client;
  });
  after(async () => {
    await served.close();
    fs.rmSync(buckets, { recursive: true, force: true });
  });

  /** Starts the machine; resolves with the execution and its one Map Run once ListMapRuns lists it. */
  async function start(name: string, definition: string, input: unknown) {
    driver = new TokenDriver();
    const { arn } = await deployStateMachine(client, { name, definition, roleArn: ROLE, type: 'STANDARD' });
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: JSON.stringify(input) });
    const listed = await waitFor(async () => (await listMapRuns(client, executionArn))[0], {
      message: 'the Map Run listed',
    });
    return { machineArn: arn, executionArn, listed, mapRunArn: listed.mapRunArn! };
  }

  const describeUntil = (mapRunArn: string, ok: (d: DescribeMapRunCommandOutput) => boolean, message: string) =>
    waitFor(
      async () => {
        const d = await describeMapRun(client, mapRunArn);
        return ok(d) ? d : undefined;
      },
      { message },
    );

  it('counts items running, pending, succeeded and failed while the child executions run, then the final figures', async () => {
    const { machineArn, executionArn, listed, mapRunArn } = await start(
      'RowsInline',
      distributedMap({ ItemsPath: '$.items', MaxConcurrency: 2, ToleratedFailureCount: 1 }),
      { items: ['a', 'b', 'c', 'd', 'e'] },
    );
    assert.equal(listed.executionArn, executionArn);
    assert.equal(listed.stateMachineArn, `${machineArn}/Rows`);
    assert.match(mapRunArn, /^arn:aws:states:us-east-1:123456789012:mapRun:RowsInline\/Rows:[0-9a-f-]{36}$/);
    assert.equal(listed.stopDate, undefined);

    const live = await describeUntil(mapRunArn, (d) => d.itemCounts?.running === 2, 'two items running');
    assert.equal(live.status, 'RUNNING');
    assert.equal(live.executionArn, executionArn);
    assert.equal(live.maxConcurrency, 2);
    assert.equal(live.toleratedFailureCount, 1);
    assert.equal(live.toleratedFailurePercentage, 0);
    assert.equal(live.stopDate, undefined);
    assert.deepEqual(live.itemCounts, counts(3, 2, 0, 0));
    assert.deepEqual(live.executionCounts, counts(3, 2, 0, 0));

    await waitFor(() => driver.tokens.length === 2, { message: 'two tasks waiting' });
    await sendTaskSuccess(client, driver.tokens[0]!, '{}');
    await sendTaskFailure(client, driver.tokens[1]!, 'Row.Bad', 'row b is bad');
    const partway = await describeUntil(mapRunArn, (d) => d.itemCounts?.failed === 1, 'one item failed');
    assert.deepEqual(partway.itemCounts, counts(1, 2, 1, 1));

    for (let i = 2; i < 5; i++) {
      await waitFor(() => driver.tokens.length > i, { message: `task ${i + 1} waiting` });
      await sendTaskSuccess(client, driver.tokens[i]!, '{}');
    }
    const ended = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(ended.status, 'SUCCEEDED');
    const final = await describeMapRun(client, mapRunArn);
    assert.equal(final.status, 'SUCCEEDED');
    assert.ok(final.stopDate instanceof Date && final.stopDate >= final.startDate!);
    assert.deepEqual(final.itemCounts, counts(0, 0, 4, 1));
    assert.deepEqual(final.executionCounts, counts(0, 0, 4, 1));
    assert.ok((await listMapRuns(client, executionArn))[0]!.stopDate instanceof Date);
  });

  it('counts the items of batches read from a bucket stand-in, and the results the ResultWriter wrote', async () => {
    const { executionArn, mapRunArn } = await start(
      'RowsFromBucket',
      distributedMap({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: 'data', Key: 'rows.json' },
        },
        ItemBatcher: { MaxItemsPerBatch: 2 },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'out' } },
      }),
      {},
    );
    const live = await describeUntil(mapRunArn, (d) => d.executionCounts?.running === 3, 'three batches running');
    assert.deepEqual(live.itemCounts, counts(0, 5, 0, 0));
    assert.deepEqual(live.executionCounts, counts(0, 3, 0, 0));
    await waitFor(() => driver.tokens.length === 3, { message: 'three tasks waiting' });
    for (const token of driver.tokens) await sendTaskSuccess(client, token, '{}');
    assert.equal((await watchExecution(client, executionArn, { pollIntervalMs: 10 })).status, 'SUCCEEDED');
    const final = await describeMapRun(client, mapRunArn);
    assert.equal(final.status, 'SUCCEEDED');
    assert.deepEqual(final.itemCounts, counts(0, 0, 5, 0, 0, 5));
    assert.deepEqual(final.executionCounts, counts(0, 0, 3, 0, 0, 3));
  });

  it('a Map Run that fails leaves the items that never started pending', async () => {
    const { executionArn, mapRunArn } = await start(
      'RowsFailing',
      distributedMap({ ItemsPath: '$.items', MaxConcurrency: 1 }),
      { items: [1, 2, 3] },
    );
    await waitFor(() => driver.tokens.length === 1, { message: 'the first task waiting' });
    await sendTaskFailure(client, driver.tokens[0]!, 'Row.Bad', 'row 1 is bad');
    const ended = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(ended.status, 'FAILED');
    assert.equal(ended.error, 'States.ExceedToleratedFailureThreshold');
    const final = await describeMapRun(client, mapRunArn);
    assert.equal(final.status, 'FAILED');
    assert.deepEqual(final.itemCounts, counts(2, 0, 0, 1));
  });

  it('answers ResourceNotFound for an unknown Map Run and ExecutionDoesNotExist for an unknown execution', async () => {
    await assert.rejects(
      describeMapRun(client, 'arn:aws:states:us-east-1:123456789012:mapRun:x/y:00000000-0000-0000-0000-000000000000'),
      { name: 'ResourceNotFound' },
    );
    await assert.rejects(listMapRuns(client, 'arn:aws:states:us-east-1:123456789012:execution:x:y'), {
      name: 'ExecutionDoesNotExist',
    });
  });
});
