/**
 * Deploy to AWS and Compare Local and AWS Runs in the real extension host, against
 * `asl-workbench serve` (the repository's dist/cli.js) as the endpoint of the
 * aslWorkbench.aws.endpointUrl setting: a machine file created then updated, a template's
 * machine with its substitutions resolved, a version and alias published, a machine with
 * errors refused; the deploy lens next to Run Locally.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { createSfnClient } from '../../../../runner/src/aws/client';
import type { AslWorkbenchApi } from '../../../src/extension';
import { machineUri } from '../../../src/templates';
import { EXTENSION_ID, copyExample, repoRoot } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';
import { DescribeStateMachineCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';

const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-deploy-e2e';
// dummy credentials for the SDK in this extension host; no shared config or credentials file is read
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIATESTNOTREAL00000',
  AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
};

interface Deployed {
  name: string;
  stateMachineArn: string;
  action: 'created' | 'updated';
  versionArn?: string;
  aliasArn?: string;
}

describe('Deploy to AWS (endpoint: asl-workbench serve)', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let serve: ChildProcess;
  let url = '';
  let root = '';

  const described = async (arn: string) => {
    const client = createSfnClient({ region: 'us-east-1', endpointUrl: url, regionSource: 'option' });
    try {
      return await client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    } finally {
      client.destroy();
    }
  };
  /** Opens a file in an editor (Deploy waits for the server to check it). */
  const opened = async (file: string): Promise<vscode.TextDocument> => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  };

  before(async function () {
    Object.assign(process.env, CREDENTIALS);
    api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.ready;
    root = repoRoot()!;
    assert.ok(root, 'the repository is found above the e2e run directory');
    // the CLI is not part of the .vsix: the repository's build serves
    serve = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'serve', '--port', '0'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], {
      message: 'serve to listen',
    });
    const aws = vscode.workspace.getConfiguration('aslWorkbench.aws');
    await aws.update('endpointUrl', url, vscode.ConfigurationTarget.Global);
    await aws.update('region', 'us-east-1', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    const aws = vscode.workspace.getConfiguration('aslWorkbench.aws');
    await aws.update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await aws.update('region', undefined, vscode.ConfigurationTarget.Global);
    serve?.kill();
  });

  it('contributes Deploy to AWS and Compare Local and AWS Runs, gated on workspace trust', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; enablement?: string }[] };
    };
    for (const id of ['aslWorkbench.deployToAws', 'aslWorkbench.compareRuns'])
      assert.match(pkg.contributes.commands.find((c) => c.command === id)?.enablement ?? '', /isWorkspaceTrusted/, id);
  });

  it('offers the Deploy to AWS lens next to Run Locally', async () => {
    const dir = copyExample(root, 'ecs-run-task-sync', 'deploy-lens');
    const doc = await opened(path.join(dir, 'state-machine.asl.json'));
    const titles = await waitFor(
      async () => {
        const lenses =
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
        const t = lenses.map((l) => l.command?.title ?? '');
        return t.includes('Deploy to AWS') && t;
      },
      { message: 'the Deploy to AWS lens' },
    );
    assert.ok(titles.includes('▶ Run Locally'), titles.join(' | '));
  });

  it('creates the state machine of a file with the name and role given, then updates it', async () => {
    const dir = copyExample(root, 'ecs-run-task-sync', 'deploy-file');
    const doc = await opened(path.join(dir, 'state-machine.asl.json'));
    const args = { uri: doc.uri, name: 'deploy-e2e-file', roleArn: ROLE };
    const first = await vscode.commands.executeCommand<Deployed>('aslWorkbench.deployToAws', args);
    assert.equal(first?.action, 'created');
    assert.equal(first.stateMachineArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:deploy-e2e-file');
    const held = await described(first.stateMachineArn);
    assert.equal(held.roleArn, ROLE);
    assert.deepEqual(JSON.parse(held.definition!), JSON.parse(doc.getText()));
    const second = await vscode.commands.executeCommand<Deployed>('aslWorkbench.deployToAws', args);
    assert.equal(second?.action, 'updated');
    assert.equal(second.stateMachineArn, first.stateMachineArn);
  });

  it("deploys a template's machine with its placeholders replaced by the run config's and the template's values", async () => {
    const dir = copyExample(root, 'cloudformation', 'deploy-template');
    const template = vscode.Uri.file(path.join(dir, 'template.yaml'));
    await opened(template.fsPath);
    const done = await vscode.commands.executeCommand<Deployed>('aslWorkbench.deployToAws', {
      uri: machineUri(template, 'RunCommands'),
      name: 'deploy-e2e-template',
      roleArn: ROLE,
    });
    assert.equal(done?.action, 'created');
    const definition = JSON.parse((await described(done.stateMachineArn)).definition!);
    const params = definition.States['Run commands'].Parameters;
    assert.equal(params.Cluster, 'arn:aws:ecs:us-east-1:123456789012:cluster/demo');
    assert.equal(params.TaskDefinition, 'run-commands');
    assert.equal(params.Overrides.ContainerOverrides[0].Name, 'worker');
  });

  it('publishes a version and points an alias at it when asked', async () => {
    const dir = copyExample(root, 'ecs-run-task-sync', 'deploy-publish');
    const doc = await opened(path.join(dir, 'state-machine.asl.json'));
    const done = await vscode.commands.executeCommand<Deployed>('aslWorkbench.deployToAws', {
      uri: doc.uri,
      name: 'deploy-e2e-publish',
      roleArn: ROLE,
      publish: true,
      versionDescription: 'first',
      alias: 'live',
    });
    assert.match(done?.versionArn ?? '', /:stateMachine:deploy-e2e-publish:1$/);
    assert.match(done?.aliasArn ?? '', /:stateMachine:deploy-e2e-publish:live$/);
  });

  it('refuses a machine the language server found errors in, and sends nothing', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'deploy-invalid');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'broken.asl.json');
    fs.writeFileSync(file, '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Missing"}}}');
    const doc = await opened(file);
    await waitFor(() => vscode.languages.getDiagnostics(doc.uri).length > 0, {
      message: 'the error of the broken machine',
      recheckOn: api.onDiagnosticsPublished,
    });
    const done = await vscode.commands.executeCommand('aslWorkbench.deployToAws', {
      uri: doc.uri,
      name: 'deploy-e2e-broken',
      roleArn: ROLE,
    });
    assert.equal(done, undefined);
    const client = createSfnClient({ region: 'us-east-1', endpointUrl: url, regionSource: 'option' });
    try {
      const names = (await client.send(new ListStateMachinesCommand({}))).stateMachines?.map((m) => m.name);
      assert.ok(!names?.includes('deploy-e2e-broken'), `serve holds ${names?.join(', ')}`);
    } finally {
      client.destroy();
    }
  });
});
