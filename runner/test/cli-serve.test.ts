/** `asl-workbench serve` as a process: prints its URL, answers the AWS CLI, stops on SIGTERM. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { aws, waitFor } from './helpers';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(import.meta.dirname, 'fixtures', 'serve');

describe('asl-workbench serve', () => {
  it('runs a machine created and started with the AWS CLI (#TestCase mocks)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'runner/src/cli.ts'), 'serve', '--port', '0', '--mock-config', path.join(fixtures, 'mock-config.json'), '--time-scale', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 20000, 'serve to listen');
      const created = await aws(url, ['create-state-machine', '--name', 'Order', '--role-arn', 'arn:aws:iam::123456789012:role/x', '--definition', `file://${path.join(fixtures, 'order.asl.json')}`]);
      assert.equal(created.code, 0, created.stderr);
      const arn = JSON.parse(created.stdout).stateMachineArn as string;
      const started = await aws(url, ['start-execution', '--state-machine-arn', `${arn}#Happy`, '--input', '{"amount":1}']);
      assert.equal(started.code, 0, started.stderr);
      const execArn = JSON.parse(started.stdout).executionArn as string;
      const done = await waitFor(async () => {
        const d = JSON.parse((await aws(url, ['describe-execution', '--execution-arn', execArn])).stdout) as { status: string; output?: string };
        return d.status !== 'RUNNING' ? d : undefined;
      }, 30000);
      assert.equal(done.status, 'SUCCEEDED');
      const history = JSON.parse((await aws(url, ['get-execution-history', '--execution-arn', execArn])).stdout) as { events: { type: string }[] };
      assert.equal(history.events.at(-1)!.type, 'ExecutionSucceeded');
      const missing = await aws(url, ['describe-execution', '--execution-arn', `${execArn}-nope`]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /ExecutionDoesNotExist/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
  });
});
