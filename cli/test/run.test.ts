/** `asl-workbench run` end to end in a child process. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const fx = (f: string): string => path.join(import.meta.dirname, 'fixtures', 'run', f);
// the machine with errors, and the message every entry point gives for it (asl/test/validation.test.ts)
const VALIDATION = path.join(root, 'asl/test/fixtures/validation');
const INVALID_MESSAGE = fs.readFileSync(path.join(VALIDATION, 'invalid.message.txt'), 'utf8').trimEnd();

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), 'run', ...args],
      { cwd: root, env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('asl-workbench run', () => {
  it('runs with an explicit mock config and test case; --json prints exactly status and output', async () => {
    const r = await run([
      fx('hello.asl.json'),
      '--input',
      '{"who":"Ann"}',
      '--mock-config',
      fx('mock-config.json'),
      '--test-case',
      'Success',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      status: 'SUCCEEDED',
      output: { greeting: 'Hello, Ann!', job: { stop: 'EssentialContainerExited' } },
    });
    assert.match(r.stderr, /Greet/);
    assert.match(r.stderr, /Run job/);
  });

  it('exits 1 with error and cause for a failing test case, and --history adds the events', async () => {
    const r = await run([
      fx('hello.asl.json'),
      '--input',
      fx('input.json'),
      '--mock-config',
      fx('mock-config.json'),
      '--test-case',
      'Failure',
      '--json',
      '--history',
    ]);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.error, 'States.TaskFailed');
    assert.equal(out.cause, '{"StopCode":"TaskFailedToStart"}');
    assert.equal(out.history.at(-1).type, 'ExecutionFailed');
  });

  it('uses mock-config.json next to the machine when no container engine is reachable, with a note', async () => {
    const r = await run([fx('hello.asl.json'), '--input', '{"who":"B"}'], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /no container engine is reachable at unix:\/\/\/nonexistent\/docker\.sock; using the mocks of/,
    );
    assert.deepEqual(JSON.parse(r.stdout), { greeting: 'Hello, B!', job: { stop: 'EssentialContainerExited' } });
  });

  it("uses the engine at the run config's engine.host instead of falling back to the mocks next to the machine", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-run-engine-'));
    const requests: string[] = [];
    const engine = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.statusCode = req.url === '/_ping' ? 200 : 404;
      res.end(req.url === '/_ping' ? 'OK' : '{"message":"not found"}');
    });
    const socket = path.join(dir, 'engine.sock');
    await new Promise<void>((resolve) => engine.listen(socket, resolve));
    try {
      for (const f of ['hello.asl.json', 'mock-config.json']) fs.copyFileSync(fx(f), path.join(dir, f));
      fs.writeFileSync(
        path.join(dir, 'asl-workbench.run.json'),
        JSON.stringify({ engine: { host: `unix://${socket}` } }),
      );
      const r = await run([path.join(dir, 'hello.asl.json'), '--input', '{"who":"C"}', '--json'], {
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      });
      assert.doesNotMatch(r.stderr, /using the mocks/);
      assert.ok(requests.includes('/_ping'), requests.join(' '));
      // a real run: the ECS driver asks for the task definition, which this config does not map
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.error, 'ECS.InvalidParameterException');
      // --json carries the typed problem the editor acts on, with the JSON to add to the run config
      assert.deepEqual(out.problem, {
        kind: 'taskDefinitionNotMapped',
        taskDefinition: 'hello-job',
        runConfig: path.join(dir, 'asl-workbench.run.json'),
        add: { taskDefinitions: { 'hello-job': './hello-job.task-definition.json' } },
      });
    } finally {
      engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid machine with the list of its errors every entry point gives (exit 2)', async () => {
    const r = await run([path.join(VALIDATION, 'invalid.asl.json')]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `run: asl/test/fixtures/validation/invalid.asl.json is invalid; not running it\n${INVALID_MESSAGE}\n`,
    );
    assert.equal(r.stdout, '');
  });

  it('exits 2 for usage errors and unknown test cases', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run([fx('hello.asl.json'), '--bogus'])).code, 2);
    const r = await run([fx('hello.asl.json'), '--mock-config', fx('mock-config.json'), '--test-case', 'Nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no test case 'Nope'/);
  });
});

// the context object's names and role (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html)
describe('asl-workbench run: names and role in $$', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-context-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const machine = path.join(dir, 'orders.asl.json');
  fs.writeFileSync(
    machine,
    JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'c.$': '$$' }, End: true } } }),
  );
  const names = (stdout: string) => {
    const c = JSON.parse(stdout).output.c;
    return [c.Execution.Name, c.Execution.RoleArn, c.StateMachine.Name, c.StateMachine.Id];
  };

  it('takes them from the run config, and --execution-name, --role-arn and --name win over it', async () => {
    fs.writeFileSync(
      path.join(dir, 'asl-workbench.run.json'),
      JSON.stringify({
        execution: { name: 'nightly', roleArn: 'arn:aws:iam::123456789012:role/Cfg', stateMachineName: 'Orders' },
      }),
    );
    const cases: [string[], string, string, string][] = [
      [[], 'nightly', 'arn:aws:iam::123456789012:role/Cfg', 'Orders'],
      [
        ['--execution-name', 'once', '--role-arn', 'arn:aws:iam::123456789012:role/Cli', '--name', 'Billing'],
        'once',
        'arn:aws:iam::123456789012:role/Cli',
        'Billing',
      ],
    ];
    for (const [options, execution, role, machineName] of cases) {
      const r = await run([machine, '--json', ...options]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(names(r.stdout), [
        execution,
        role,
        machineName,
        `arn:aws:states:us-east-1:123456789012:stateMachine:${machineName}`,
      ]);
    }
  });
});
