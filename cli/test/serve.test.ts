/** `asl-workbench serve` as a process: prints its URL, answers the AWS CLI, stops on SIGTERM; `--host` widens it with a warning. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { aws, rawRequest } from '../../runner/test/helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(import.meta.dirname, '../../runner/test/fixtures/serve');
// the machine with errors, and the message every entry point gives for it (asl/test/validation.test.ts)
const VALIDATION = path.join(root, 'asl/test/fixtures/validation');
const INVALID_MESSAGE = fs.readFileSync(path.join(VALIDATION, 'invalid.message.txt'), 'utf8').trimEnd();

describe('asl-workbench serve', () => {
  it('runs a machine created and started with the AWS CLI (#TestCase mocks)', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'cli/src/main.ts'),
        'serve',
        '--port',
        '0',
        '--mock-config',
        path.join(fixtures, 'mock-config.json'),
        '--time-scale',
        '0',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let errText = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (errText += d));
    try {
      const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+) \(mock config /.exec(out)?.[1], {
        deadlineMs: 20000,
        message: 'serve to listen',
      });
      assert.doesNotMatch(errText, /warning/, 'loopback needs no warning');
      const created = await aws(url, [
        'create-state-machine',
        '--name',
        'Order',
        '--role-arn',
        'arn:aws:iam::123456789012:role/x',
        '--definition',
        `file://${path.join(fixtures, 'order.asl.json')}`,
      ]);
      assert.equal(created.code, 0, created.stderr);
      const refused = await rawRequest(url, {
        op: 'CreateStateMachine',
        body: {
          name: 'Invalid',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          definition: fs.readFileSync(path.join(VALIDATION, 'invalid.asl.json'), 'utf8'),
        },
      });
      assert.equal(refused.status, 400);
      assert.deepEqual(JSON.parse(refused.text), {
        __type: 'com.amazonaws.sfn#InvalidDefinition',
        message: `Invalid State Machine Definition: '${INVALID_MESSAGE}'`,
      });
      const arn = JSON.parse(created.stdout).stateMachineArn as string;
      const started = await aws(url, [
        'start-execution',
        '--state-machine-arn',
        `${arn}#Happy`,
        '--input',
        '{"amount":1}',
      ]);
      assert.equal(started.code, 0, started.stderr);
      const execArn = JSON.parse(started.stdout).executionArn as string;
      const done = await waitFor(
        async () => {
          const d = JSON.parse((await aws(url, ['describe-execution', '--execution-arn', execArn])).stdout) as {
            status: string;
            output?: string;
          };
          return d.status !== 'RUNNING' ? d : undefined;
        },
        { deadlineMs: 30000 },
      );
      assert.equal(done.status, 'SUCCEEDED');
      const history = JSON.parse((await aws(url, ['get-execution-history', '--execution-arn', execArn])).stdout) as {
        events: { type: string }[];
      };
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

  it('--host widens the listener only on request and warns that the whole API becomes reachable', async () => {
    const bad = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), 'serve', '--host', 'example.com'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--host must be an IP address of this machine \(or 0\.0\.0\.0 for all of them\)/);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), 'serve', '--port', '0', '--host', '0.0.0.0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let errText = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (errText += d));
    try {
      const url = await waitFor(
        () => /listening on (http:\/\/127\.0\.0\.1:\d+) \(and every address of this machine, port \d+\)/.exec(out)?.[1],
        { deadlineMs: 20000, message: 'serve to listen' },
      );
      assert.match(
        errText,
        /^warning: --host 0\.0\.0\.0 makes the whole API \(CreateStateMachine, StartExecution, GetExecutionHistory with its task tokens, …\) reachable from every network this machine is on, containers on this host included/m,
      );
      const listed = await aws(url, ['list-state-machines']);
      assert.equal(listed.code, 0, listed.stderr);
      // still no DNS rebinding: a foreign name is refused on the wide listener too
      const rebound = await rawRequest(url, {
        op: 'ListStateMachines',
        host: `rebound.attacker.example:${new URL(url).port}`,
        body: {},
      });
      assert.equal(rebound.status, 403);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await new Promise((r) => child.on('exit', r)), 0);
  });
});
