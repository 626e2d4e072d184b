/**
 * The CLI on state machines held in templates (CloudFormation, SAM, CDK output): validate
 * prints at the template's own line and column (text and SARIF), graph, iam and run take the
 * template, `--machine` picks one of several and `--substitutions` gives placeholder values.
 * Runs the built dist/cli.js as a user would; `run` uses the example's mocks, no containers.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, ensureFreshBuild } from '../../scripts/test-helpers/lsp-client.mjs';
import { findMachines, resolveSubstitutions } from '../../asl/src/templates';

const CLI = path.join(REPO_ROOT, 'dist/cli.js');
const FIXTURES = 'cli/test/fixtures/templates';
const CFN = 'examples/cloudformation/template.yaml';
const SAM = 'examples/sam/template.yaml';
const CDK = 'examples/cdk/cdk.out/EcsTaskStack.template.json';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('asl-workbench on templates', () => {
  before(() => ensureFreshBuild());

  it('validate: the CloudFormation, SAM and CDK examples are clean', () => {
    const r = cli(['validate', CFN, SAM, CDK]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim(), '');
    assert.equal(r.stderr.trim(), '3 files checked, 0 errors, 0 other diagnostics');
  });

  it("validate: an ECS mistake is reported at the template's own line and column", () => {
    const file = `${FIXTURES}/ecs-mistake.template.yaml`;
    const r = cli(['validate', file]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout.trim(),
      `${file}:56:27 error ECS405 'LaunchType' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES. Did you mean 'FARGATE'?`,
    );
  });

  it("validate --format sarif: the result's region is in the template's lines", () => {
    const file = `${FIXTURES}/ecs-mistake.template.yaml`;
    const r = cli(['validate', '--format', 'sarif', file]);
    assert.equal(r.status, 1);
    const sarif = JSON.parse(r.stdout) as {
      runs: {
        results: { ruleId: string; locations: { physicalLocation: Record<string, Record<string, unknown>> }[] }[];
      }[];
    };
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'ECS405');
    const loc = result.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, file);
    assert.deepEqual(loc.region, { startLine: 56, startColumn: 27, endLine: 56, endColumn: 33 });
  });

  it('validate: a definition in its own file (DefinitionUri) is reported in that file', () => {
    const r = cli(['validate', `${FIXTURES}/uri/template.yaml`]);
    assert.equal(r.status, 1);
    assert.equal(
      r.stdout.trim(),
      `${FIXTURES}/uri/broken.asl.json:7:71 error ECS405 'LaunchType' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES. Did you mean 'FARGATE'?`,
    );
  });

  it('validate --substitutions: a value the template does not give is checked at its placeholder', () => {
    const file = `${FIXTURES}/substitutions.template.yaml`;
    const without = cli(['validate', file]);
    assert.equal(without.status, 0);
    assert.ok(
      without.stdout.includes(
        `${file}:16:27 warning TPL001 '\${LaunchType}' is not defined in DefinitionSubstitutions of Launch: Step Functions would receive it as it is.`,
      ),
      without.stdout,
    );
    const r = cli(['validate', file, '--substitutions', `${FIXTURES}/launch-type.json`]);
    assert.equal(r.status, 1);
    assert.ok(
      r.stdout.includes(
        `${file}:16:27 error ECS405 'LaunchType' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES. Did you mean 'FARGATE'? (with LaunchType = "FARGAT" from the template, ${FIXTURES}/launch-type.json).`,
      ),
      r.stdout,
    );
  });

  it('graph: draws the template state machine', () => {
    const r = cli(['graph', CFN, '--format', 'mermaid']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('n1["Run commands<br/>ecs:runTask.sync"]'), r.stdout);
  });

  it('graph: a template with several state machines needs --machine, and names them', () => {
    const r = cli(['graph', SAM, '--format', 'mermaid']);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr.trim(),
      `asl-workbench graph: ${SAM} holds 2 state machines (RunCommands, StartReport): choose one with --machine <logical id>`,
    );
    const unknown = cli(['graph', SAM, '--machine', 'Nope']);
    assert.equal(unknown.status, 2);
    assert.equal(
      unknown.stderr.trim(),
      `asl-workbench graph: ${SAM} has no state machine 'Nope' (it holds: RunCommands, StartReport)`,
    );
    const plain = 'examples/ecs-run-task-sync/state-machine.asl.json';
    const notTemplate = cli(['graph', plain, '--machine', 'RunCommands']);
    assert.equal(notTemplate.status, 2);
    assert.equal(
      notTemplate.stderr.trim(),
      `asl-workbench graph: ${plain} holds no template state machines: --machine is for templates`,
    );
    const picked = cli(['graph', SAM, '--format', 'mermaid', '--machine', 'StartReport']);
    assert.equal(picked.status, 0, picked.stderr);
    assert.ok(picked.stdout.includes('Start report<br/>ecs:runTask'), picked.stdout);
  });

  it("iam: the policy names the template's placeholders and pseudo parameters", () => {
    const r = cli(['iam', CDK]);
    assert.equal(r.status, 0, r.stderr);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    const runTask = policy.Statement.find((s) => s.Action.includes('ecs:RunTask'))!;
    assert.deepEqual(runTask.Resource, ['${TaskDef54694570}']);
    const events = policy.Statement.find((s) => s.Action.includes('events:PutRule'))!;
    assert.deepEqual(events.Resource, [
      'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForECSTaskRule',
    ]);
  });

  it('iam: in a Terraform file, region and account are data source references, and the note names the blocks', () => {
    const r = cli(['iam', 'examples/terraform/main.tf']);
    assert.equal(r.status, 0, r.stderr);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    const events = policy.Statement.find((s) => s.Action.includes('events:PutRule'))!;
    assert.deepEqual(events.Resource, [
      'arn:${data.aws_partition.current.partition}:events:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:rule/StepFunctionsGetEventsForECSTaskRule',
    ]);
    assert.ok(!r.stdout.includes('AWS::'), r.stdout);
    assert.ok(
      r.stderr.startsWith(
        'note (Terraform data sources):\nThe ARNs refer to data sources the Terraform module must declare: data "aws_region" "current" {} and data "aws_caller_identity" "current" {}.\n\n',
      ),
      r.stderr,
    );
    const given = cli(['iam', 'examples/terraform/main.tf', '--region', 'eu-west-1']);
    assert.ok(
      given.stderr.startsWith(
        'note (Terraform data sources):\nThe ARNs refer to data sources the Terraform module must declare: data "aws_caller_identity" "current" {}.\n\n',
      ),
      given.stderr,
    );
  });

  it('run: runs the template state machine with its substitutions (mocks)', () => {
    const r = cli([
      'run',
      CFN,
      '--mock-config',
      'examples/cloudformation/mock-config.json',
      '--input',
      'examples/cloudformation/input.json',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; output: { LaunchType: string } };
    assert.equal(out.status, 'SUCCEEDED');
    assert.equal(out.output.LaunchType, 'FARGATE');
  });

  it('run: refuses a template machine with errors, listing them at template positions', () => {
    const r = cli([
      'run',
      `${FIXTURES}/ecs-mistake.template.yaml`,
      '--mock-config',
      'examples/cloudformation/mock-config.json',
    ]);
    assert.equal(r.status, 2);
    assert.ok(
      r.stderr.includes(
        "56:27 ECS405 'LaunchType' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES. Did you mean 'FARGATE'?",
      ),
      r.stderr,
    );
  });

  it("substitutions: the template's literal values first, then --substitutions, then the run config", () => {
    const host =
      'Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        A: template\n      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}\n';
    const [m] = findMachines(host, 't.yaml');
    assert.deepEqual(
      resolveSubstitutions(m, { A: 'given', B: 'given' }, { A: 'config', B: 'config', C: 'config' }, { D: 'stand-in' }),
      { A: 'template', B: 'given', C: 'config', D: 'stand-in' },
    );
  });
});
