/**
 * `asl-workbench run --s3-root`: the Distributed Map example reads its CSV from, and writes its
 * ResultWriter files to, a copy of the example's bucket folders (never the repository), with
 * the example's mocks; a bucket without a stand-in fails naming the mapping to add.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const example = path.join(root, 'examples', 'ecs-distributed-map');
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), 'run', ...args],
      { cwd: root },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A temp copy of the example's bucket folders. */
function bucketsCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-s3-root-'));
  temps.push(dir);
  fs.cpSync(path.join(example, 's3', 'orders-input'), path.join(dir, 'orders-input'), { recursive: true });
  return dir;
}

const machine = path.join(example, 'state-machine.asl.json');
const common = ['--input', path.join(example, 'input.json'), '--mock-config', path.join(example, 'mock-config.json')];

describe('asl-workbench run --s3-root', () => {
  it('reads the items from <dir>/<bucket>/ and writes the ResultWriter files there', async () => {
    const dir = bucketsCopy();
    const before = fs.existsSync(path.join(example, 's3', 'orders-results'));
    const r = await run([machine, ...common, '--s3-root', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      status: string;
      output: { results: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } };
    };
    assert.equal(out.status, 'SUCCEEDED');
    const { Bucket, Key } = out.output.results.ResultWriterDetails;
    assert.equal(Bucket, 'orders-results');
    assert.match(Key, /^processed\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, Bucket, Key), 'utf8')) as {
      ResultFiles: { SUCCEEDED: Array<{ Key: string }> };
    };
    const succeeded = JSON.parse(
      fs.readFileSync(path.join(dir, Bucket, manifest.ResultFiles.SUCCEEDED[0]!.Key), 'utf8'),
    ) as Array<{ Input: string }>;
    // ten rows in batches of four: three child executions
    assert.deepEqual(
      succeeded.map((s) => (JSON.parse(s.Input) as { Items: unknown[] }).Items.length),
      [4, 4, 2],
    );
    assert.match(r.stderr, /map run arn:aws:states:us-east-1:123456789012:mapRun:state-machine\/ProcessRows:/);
    assert.equal(fs.existsSync(path.join(example, 's3', 'orders-results')), before, 'nothing written to the example');
  });

  it('a failing batch fails the Map Run with States.ExceedToleratedFailureThreshold', async () => {
    const r = await run([machine, ...common, '--test-case', 'SecondBatchFails', '--s3-root', bucketsCopy(), '--json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { error: string; cause: string };
    assert.equal(out.error, 'States.ExceedToleratedFailureThreshold');
    assert.equal(out.cause, 'The specified tolerated failure threshold was exceeded (4 of 10 items failed).');
  });

  it('without a stand-in for the bucket the run fails with the mapping to add', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-s3-config-'));
    temps.push(dir);
    const config = path.join(dir, 'asl-workbench.run.json');
    fs.writeFileSync(config, '{}');
    const r = await run([machine, ...common, '--config', config, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { error: string; cause: string };
    assert.equal(out.error, 'States.ItemReaderFailed');
    assert.match(
      out.cause,
      /^The bucket 'orders-input' has no local stand-in\. Map it to a local folder in asl-workbench\.run\.json: "s3": \{ "buckets": \{ "orders-input": "\.\/s3\/orders-input" \} \}/,
    );
    assert.match(out.cause, /or run with --s3-root <dir> to use <dir>\/orders-input\/ for it\.$/);
  });
});
