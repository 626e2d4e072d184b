/**
 * `asl-workbench run --save-test`: the run is added to a test file as a case whose mocks are
 * the recorded task results, and `asl-workbench test` passes that case — for a failed run with
 * a retried task, a Choice and a Catch, and for a succeeded run added to the same file.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'cli/src/main.ts'), ...args],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const ecs = 'arn:aws:states:::ecs:runTask.sync';
const machine = {
  StartAt: 'Build',
  States: {
    Build: {
      Type: 'Task',
      Resource: ecs,
      Parameters: { Cluster: 'ci', TaskDefinition: 'build' },
      Retry: [{ ErrorEquals: ['ECS.AmazonECSException'], MaxAttempts: 2 }],
      ResultSelector: { 'code.$': '$.Containers[0].ExitCode' },
      ResultPath: '$.build',
      Next: 'Built?',
    },
    'Built?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.build.code', NumericEquals: 0, Next: 'Deploy' }],
      Default: 'Broken',
    },
    Deploy: {
      Type: 'Task',
      Resource: ecs,
      Parameters: { Cluster: 'ci', TaskDefinition: 'deploy' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Broken' }],
      ResultPath: null,
      End: true,
    },
    Broken: { Type: 'Fail', Error: 'Pipeline.Failed', Cause: 'the build or the deployment failed' },
  },
};

const mockConfig = {
  StateMachines: {
    pipeline: {
      TestCases: {
        deployFails: { Build: 'RetriedBuild', Deploy: 'FailedDeploy' },
        allGood: { Build: 'GoodBuild', Deploy: 'GoodDeploy' },
      },
    },
  },
  MockedResponses: {
    RetriedBuild: {
      '0': { Throw: { Error: 'ECS.AmazonECSException', Cause: 'no capacity' } },
      '1': { Return: { Containers: [{ ExitCode: 0 }] } },
    },
    FailedDeploy: { '0': { Throw: { Error: 'States.TaskFailed', Cause: 'exit 1' } } },
    GoodBuild: { '0': { Return: { Containers: [{ ExitCode: 0 }] } } },
    GoodDeploy: { '0': { Return: { Containers: [{ ExitCode: 0 }] } } },
  },
};

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-save-test-'));
  temps.push(dir);
  fs.mkdirSync(path.join(dir, 'flows'));
  fs.writeFileSync(path.join(dir, 'flows/pipeline.asl.json'), JSON.stringify(machine, null, 2));
  fs.writeFileSync(path.join(dir, 'mock-config.json'), JSON.stringify(mockConfig));
  return dir;
}

function run(dir: string, testCase: string, ...extra: string[]): ReturnType<typeof cli> {
  return cli([
    'run',
    path.join(dir, 'flows/pipeline.asl.json'),
    '--mock-config',
    path.join(dir, 'mock-config.json'),
    '--test-case',
    testCase,
    '--time-scale',
    '0',
    '--input',
    '{"app":"web"}',
    ...extra,
  ]);
}

describe('asl-workbench run --save-test', () => {
  it('saves a failed run with a retried task and a caught error as a case that passes', async () => {
    const dir = project();
    const saved = await run(
      dir,
      'deployFails',
      '--save-test',
      path.join(dir, 'tests/pipeline.asl-test.yaml'),
      '--test-name',
      'deploy fails',
    );
    assert.equal(saved.code, 1, saved.stderr);
    assert.match(saved.stderr, /run: saved test case "deploy fails" to \S*tests\/pipeline\.asl-test\.yaml:3\n/);
    assert.equal(
      fs.readFileSync(path.join(dir, 'tests/pipeline.asl-test.yaml'), 'utf8'),
      `machine: ../flows/pipeline.asl.json
cases:
  - name: deploy fails
    input: { app: web }
    mocks:
      Build:
        "0":
          Throw: { Error: ECS.AmazonECSException, Cause: no capacity }
        "1": { Return: { Containers: [ { ExitCode: 0 } ] } }
      Deploy:
        "0": { Throw: { Error: States.TaskFailed, Cause: exit 1 } }
    expect:
      status: FAILED
      error: Pipeline.Failed
      cause: the build or the deployment failed
      path: [ Build, Built?, Deploy, Broken ]
`,
    );
    const tested = await cli(['test', path.join(dir, 'tests'), '--workers', '1']);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /✔ deploy fails/);
  });

  it('adds a succeeded run to an existing test file and both cases pass', async () => {
    const dir = project();
    const file = path.join(dir, 'flows/pipeline.asl-test.yaml');
    const first = await run(dir, 'deployFails', '--save-test', file, '--test-name', 'deploy fails');
    assert.equal(first.code, 1, first.stderr);
    fs.writeFileSync(file, `# the pipeline's cases\n${fs.readFileSync(file, 'utf8')}`);
    const second = await run(dir, 'allGood', '--save-test', file, '--test-name', 'all good');
    assert.equal(second.code, 0, second.stderr);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith("# the pipeline's cases\nmachine: pipeline.asl.json\n"), text);
    assert.match(text, /- name: all good\n {4}input: \{ app: web \}\n/);
    assert.match(
      text,
      /status: SUCCEEDED\n {6}output: \{ app: web, build: \{ code: 0 \} \}\n {6}path: \[ Build, Built\?, Deploy \]/,
    );
    const tested = await cli(['test', file, '--workers', '1']);
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /✔ deploy fails[^\n]*\n {2}✔ all good/);
  });

  it('refuses a case name the file already has, and a file that is not a test file', async () => {
    const dir = project();
    const file = path.join(dir, 'flows/pipeline.asl-test.yaml');
    await run(dir, 'allGood', '--save-test', file, '--test-name', 'same');
    const again = await run(dir, 'allGood', '--save-test', file, '--test-name', 'same');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /run: not saved as a test case: The test file already has a case named "same"\./);
    const wrong = await run(dir, 'allGood', '--save-test', 'cases.yaml');
    assert.equal(wrong.code, 2);
    assert.match(
      wrong.stderr,
      /--save-test must name a test file \(\*\.asl-test\.yaml or \*\.asl-test\.json\): cases\.yaml/,
    );
  });
});
