/**
 * IAM surfaces over the real LSP connection and the CLI: code lenses on ECS/EKS tasks, the
 * aslWorkbench/iamPolicy request (machine and state, region/account from settings), the
 * "Generate IAM policy" source action and the per-state action, and `asl-workbench iam`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  GENERATE_IAM_POLICY_COMMAND,
  GENERATE_IAM_POLICY_KIND,
  IamPolicyRequest,
  SHOW_STATE_IAM_POLICY_COMMAND,
  type IamPolicyResult,
} from '../src/protocol';
import { positionOf } from './helpers/caret';
import { REPO_ROOT, startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const file = path.join(import.meta.dirname, 'fixtures/features/iam/mixed.asl.json');
const uri = pathToFileURL(file).href;
const text = fs.readFileSync(file, 'utf8');
/** An ECS task with Tags and a dynamic Overrides.$: two statements AWS's template does not have. */
const inferredFile = path.join(import.meta.dirname, 'fixtures/features/iam/inferred.asl.json');
const INFERRED_LINE =
  'Inferred, not documented by AWS: Inferred1 (ecs:TagResource); Inferred2 (iam:PassRole). AWS publishes no policy template with these statements';

describe('IAM surfaces (LSP)', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient({ settings: { iam: { region: 'eu-west-1', account: '111122223333' } } });
    client.open(uri, text);
  });
  after(async () => {
    await client.stop();
  });

  it('shows a code lens with the IAM actions on each ECS task and the RBAC note on runJob', async () => {
    const lenses = await client.request<
      { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]
    >('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 2);
    const [run, job] = lenses;
    assert.match(run.command.title, /^IAM: .*ecs:RunTask/);
    assert.equal(run.command.command, SHOW_STATE_IAM_POLICY_COMMAND);
    assert.deepEqual(run.command.arguments, [uri, 'Run']);
    assert.match(job.command.title, /Kubernetes RBAC/);
  });

  it('answers aslWorkbench/iamPolicy for the machine with the configured region and account', async () => {
    const res = await client.request<IamPolicyResult>(IamPolicyRequest.method, { uri });
    assert.equal(res.policy.Version, '2012-10-17');
    const json = res.json;
    assert.match(json, /arn:aws:ecs:us-east-1:123456789012:task-definition\/report:7/);
    assert.match(json, /arn:aws:events:eu-west-1:111122223333:rule\/StepFunctionsGetEventsForECSTaskRule/);
    assert.ok(res.notes.some((n) => n.key === 'eks:runJob' && n.states.includes('Job')));
  });

  it('labels each statement DocumentedByAws… or Inferred… and adds a note naming the inferred ones', async () => {
    const inferredUri = pathToFileURL(inferredFile).href;
    client.open(inferredUri, fs.readFileSync(inferredFile, 'utf8'));
    const res = await client.request<IamPolicyResult>(IamPolicyRequest.method, { uri: inferredUri });
    client.close(inferredUri);
    const statements = res.policy.Statement as { Sid: string; Action: string[] }[];
    assert.deepEqual(
      statements.map((s) => `${s.Sid} ${s.Action.join(',')}`),
      [
        'DocumentedByAws1 ecs:DescribeTasks,ecs:StopTask',
        'DocumentedByAws2 ecs:RunTask',
        'DocumentedByAws3 events:DescribeRule,events:PutRule,events:PutTargets',
        'Inferred1 ecs:TagResource',
        'Inferred2 iam:PassRole',
      ],
    );
    assert.equal(res.notes[0].key, 'iam');
    assert.ok(res.notes[0].note.startsWith(INFERRED_LINE), res.notes[0].note);
  });

  it('answers the policy of one state, and null for an unknown state', async () => {
    const res = await client.request<IamPolicyResult>(IamPolicyRequest.method, { uri, state: 'Job' });
    assert.deepEqual(res.policy.Statement, []);
    assert.equal(await client.request(IamPolicyRequest.method, { uri, state: 'Nope' }), null);
  });

  it('offers the source action and the per-state action', async () => {
    const pos = positionOf(text, text.indexOf('"Cluster"'));
    const actions = await client.request<
      { title: string; kind: string; command?: { command: string; arguments: unknown[] } }[]
    >('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: pos, end: pos },
      context: { diagnostics: [] },
    });
    const source = actions.find((a) => a.kind === GENERATE_IAM_POLICY_KIND);
    assert.equal(source?.title, 'Generate IAM policy for this state machine');
    assert.deepEqual(source?.command, {
      title: 'Generate IAM policy for this state machine',
      command: GENERATE_IAM_POLICY_COMMAND,
      arguments: [uri],
    });
    const perState = actions.find((a) => a.command?.command === SHOW_STATE_IAM_POLICY_COMMAND);
    assert.deepEqual(perState?.command?.arguments, [uri, 'Run']);
  });
});

describe('IAM placeholders (LSP, no region/account settings)', () => {
  it('uses the same ${Region} / ${AccountId} placeholders as the CLI', async () => {
    const bare = await startLspClient();
    try {
      bare.open(uri, text);
      const res = await bare.request<IamPolicyResult>(IamPolicyRequest.method, { uri });
      assert.match(res.json, /arn:aws:events:\$\{Region\}:\$\{AccountId\}:rule\/StepFunctionsGetEventsForECSTaskRule/);
      assert.equal(res.account, '${AccountId}');
    } finally {
      await bare.stop();
    }
  });
});

describe('asl-workbench iam (CLI)', () => {
  const cli = path.join(REPO_ROOT, 'dist/cli.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'iam', ...args], { encoding: 'utf8' });

  it('prints the policy JSON with --region/--account and exits 0', () => {
    const r = run(file, '--region', 'eu-west-1', '--account', '111122223333');
    assert.equal(r.status, 0, r.stderr);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string[] }[] };
    assert.ok(
      policy.Statement.some(
        (s) =>
          s.Action.includes('ecs:RunTask') &&
          s.Resource.includes('arn:aws:ecs:us-east-1:123456789012:task-definition/report:7'),
      ),
    );
    assert.match(r.stderr, /eks:runJob/);
  });

  it('uses placeholders without --region/--account', () => {
    const r = run(file);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\$\{Region\}/);
    assert.match(r.stdout, /arn:aws:events:\$\{Region\}:\$\{AccountId\}:rule\//);
  });

  it('prints which statements are inferred rather than documented by AWS', () => {
    const r = run(inferredFile);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stderr.includes(`note (inferred statements):\n${INFERRED_LINE}`), r.stderr);
    const sids = (JSON.parse(r.stdout) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
    assert.deepEqual(sids, ['DocumentedByAws1', 'DocumentedByAws2', 'DocumentedByAws3', 'Inferred1', 'Inferred2']);
    assert.doesNotMatch(run(file).stderr, /inferred statements/);
  });

  it('exits 1 for a broken file or an unknown state, 2 for usage and I/O errors', () => {
    const broken = path.join(import.meta.dirname, 'fixtures/features/iam/broken.asl.json');
    assert.equal(run(broken).status, 1);
    assert.equal(run(file, '--state', 'Nope').status, 1);
    assert.equal(run().status, 2);
    assert.equal(run(path.join(import.meta.dirname, 'no-such-file.asl.json')).status, 2);
    assert.equal(run(file, '--account', 'abc').status, 2);
  });
});
