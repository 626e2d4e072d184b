/**
 * The installed .vsix in the real extension host: activation figures, language detection,
 * diagnostics + quick fix, completion, hover, IAM policy, snippets, templates, restart.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import {
  EXTENSION_ID,
  hoverText,
  labelOf,
  metric,
  open,
  positionOf,
  problems,
  waitForDiagnostics,
  wsFile,
} from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

describe('ASL Workbench in a real VS Code', function () {
  let api: AslWorkbenchApi;

  it('activates on the first ASL document and reports its timings', async function () {
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.equal(ext.isActive, false, 'activation waits for an ASL document (no "*" activation)');
    const t0 = performance.now();
    const doc = await open('ecs-run-task.asl.json');
    // opening the document triggers onLanguage:asl; activate() joins that activation
    api = await ext.activate();
    await api.ready;
    const firstDiagnostics = await api.firstDiagnosticsMs;
    metric('activate() duration', api.activationMs);
    metric('activation start -> first diagnostics', firstDiagnostics);
    metric('  of which: activation start -> server initialized', await api.serverReadyMs);
    metric('  of which: server parse + validate of the first document', await api.firstValidationMs);
    metric('open document -> server ready', performance.now() - t0);
    assert.equal(doc.languageId, 'asl');
    console.log(
      `    vscode ${vscode.version} (${vscode.env.appName}), node ${process.version}, extension at ${ext.extensionPath}`,
    );
  });

  it('runs the packaged extension, not a development copy', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.match(ext.extensionPath, /extensions[\\/]asl-workbench\.asl-workbench-\d+\.\d+\.\d+$/);
  });

  it('detects the asl and asl-yaml languages from the file names', async () => {
    assert.equal((await vscode.workspace.openTextDocument(wsFile('ecs-run-task.asl.json'))).languageId, 'asl');
    assert.equal((await vscode.workspace.openTextDocument(wsFile('hello.asl'))).languageId, 'asl');
    assert.equal((await vscode.workspace.openTextDocument(wsFile('eks-run-job.asl.yaml'))).languageId, 'asl-yaml');
  });

  it('reports an ECS mistake and clears it with the quick fix', async function () {
    const t0 = performance.now();
    const doc = await open('ecs-mistake.asl.json');
    const key = positionOf(doc, '"taskDefinition"', 1);
    const onKey = (d: vscode.Diagnostic) => d.range.contains(key) || d.range.start.line === key.line;
    const found = await waitForDiagnostics(doc.uri, (d) => problems(d).some(onKey), {
      message: 'a diagnostic on "taskDefinition"',
    });
    metric('open ECS mistake -> diagnostic shown', performance.now() - t0);
    const diag = problems(found).find(onKey)!;
    console.log(
      `    diagnostic: ${String(typeof diag.code === 'object' ? diag.code.value : diag.code)} ${diag.message}`,
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix =
      actions.find((a) => a.edit && /TaskDefinition/.test(a.title)) ?? actions.find((a) => a.edit && a.isPreferred);
    assert.ok(fix, `a quick fix for "${diag.message}"; offered: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'edit applied');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.match(doc.getText(), /"TaskDefinition": "nightly-report:3"/);
    await waitForDiagnostics(doc.uri, (d) => problems(d).length === 0, {
      message: 'the diagnostics to clear after the fix',
    });
  });

  it('completes TaskDefinition inside RunTask Parameters', async () => {
    const doc = await open('completion.asl.json');
    const pos = positionOf(doc, '"LaunchType": "FARGATE",\n', '"LaunchType": "FARGATE",\n'.length).translate(0, 8);
    const list = await waitFor(
      async () => {
        const l = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          doc.uri,
          pos,
        );
        return l.items.some((i) => labelOf(i).replace(/"/g, '') === 'TaskDefinition') && l;
      },
      { message: 'TaskDefinition in the completion list' },
    );
    const names = list.items.map(labelOf);
    assert.ok(
      !names.some((n) => n.replace(/"/g, '') === 'LaunchType'),
      'a parameter already present is not offered again',
    );
  });

  it('shows the parameter docs on hover', async () => {
    const doc = await open('ecs-run-task.asl.json');
    const pos = positionOf(doc, '"TaskDefinition"', 3);
    const text = await waitFor(
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          pos,
        );
        const t = hoverText(hovers);
        return t.trim().length > 0 && t;
      },
      { message: 'a hover on TaskDefinition' },
    );
    console.log(`    hover: ${text.split('\n').slice(0, 3).join(' / ')}`);
    assert.match(text, /Task definition to run: a family \(`my-job`, latest ACTIVE revision\)/);
  });

  it('shows the IAM policy in one document per machine, with the notes, and saves it as <machine>.iam.json', async () => {
    const generate = (uri: vscode.Uri) =>
      vscode.commands.executeCommand<vscode.TextDocument | undefined>('aslWorkbench.generateIamPolicy', uri.toString());
    const withoutComments = (text: string) => text.replace(/^\s*\/\/.*$/gm, '');
    const doc = await open('ecs-run-task.asl.json');
    const policyDoc = await generate(doc.uri);
    assert.ok(policyDoc, 'the command returned the policy document');
    assert.equal(policyDoc.uri.scheme, 'asl-iam');
    assert.equal(policyDoc.uri.path.split('/').pop(), 'ecs-run-task.iam.json');
    assert.equal(policyDoc.languageId, 'jsonc');
    const policy = JSON.parse(withoutComments(policyDoc.getText())) as {
      Version?: string;
      Statement?: { Action: string | string[] }[];
    };
    assert.equal(policy.Version, '2012-10-17');
    const actions = (policy.Statement ?? []).flatMap((s) => s.Action);
    assert.ok(actions.includes('ecs:RunTask'), `ecs:RunTask in ${actions.join(', ')}`);
    assert.equal(
      vscode.window.activeTextEditor?.document.uri.toString(),
      policyDoc.uri.toString(),
      'the policy editor is shown',
    );
    // running it again shows the same document, not a new one
    const open1 = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'asl-iam' || d.isUntitled).length;
    const again = await generate(doc.uri);
    assert.equal(again?.uri.toString(), policyDoc.uri.toString());
    assert.equal(
      vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'asl-iam' || d.isUntitled).length,
      open1,
    );
    // a state that needs no IAM statement (eks:runJob: Kubernetes RBAC) is explained in the document
    const eks = await generate(wsFile('eks-run-job.asl.yaml'));
    assert.match(eks?.getText() ?? '', /^\/\/ note \(eks:runJob[^\n]*\n\/\/ No IAM statements/m);
    // the per-state variant that code lenses and quick fixes carry
    const stateDoc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
      'aslWorkbench.showStateIamPolicy',
      doc.uri.toString(),
      'Run report task',
    );
    assert.ok(stateDoc && /ecs:RunTask/.test(stateDoc.getText()), 'the state policy mentions ecs:RunTask');
    assert.equal(stateDoc.uri.path.split('/').pop(), 'ecs-run-task (Run report task).iam.json');
    // saved on request: the policy alone, next to the machine
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(
      'aslWorkbench.saveIamPolicy',
      policyDoc.uri,
    );
    assert.equal(saved?.toString(), wsFile('ecs-run-task.iam.json').toString());
    const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(saved));
    assert.deepEqual(JSON.parse(file), policy);
  });

  it('offers the snippets in JSON and YAML', async () => {
    const wanted = ['ecs-run-task-sync', 'ecs-run-task-callback', 'eks-run-job-sync', 'eks-call-delete-job'];
    for (const [file, needle] of [
      ['completion.asl.json', '"States": {\n'],
      ['eks-run-job.asl.yaml', 'States:\n'],
    ] as const) {
      const doc = await open(file);
      const pos = positionOf(doc, needle, needle.length).translate(0, 2);
      let seen = '';
      // the snippets come from the language server: ask until it has the document
      await waitFor(
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            doc.uri,
            pos,
          );
          const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
          seen = `snippets: ${snippets.slice(0, 30).join(', ')}; first items: ${list.items.slice(0, 10).map(labelOf).join(', ')}`;
          // each listed once: the extension contributes no snippets of its own next to the server's
          return wanted.every((p) => snippets.includes(p)) && new Set(snippets).size === snippets.length;
        },
        { message: `${file}: the snippets ${wanted.join(', ')}, each once` },
      ).catch((err: Error) => {
        throw new Error(`${err.message} (${seen})`);
      });
    }
  });

  it('creates a new state machine from a template, in YAML, that validates clean', async () => {
    // untitled documents are served too: wait for the server to publish (an empty list) for it
    let created: vscode.Uri | undefined;
    const published = new Set<string>();
    const sub = api.onDiagnosticsPublished((uri) => published.add(uri.toString()));
    try {
      const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
        'aslWorkbench.newStateMachine',
        'ecs-run-task-sync',
        'yaml',
      );
      assert.ok(doc, 'a document was created');
      created = doc.uri;
      assert.equal(doc.languageId, 'asl-yaml');
      assert.match(doc.getText(), /Resource: arn:aws:states:::ecs:runTask\.sync/);
      await waitFor(() => published.has(created!.toString()), {
        recheckOn: api.onDiagnosticsPublished,
        message: 'diagnostics for the new document',
      });
      assert.deepEqual(
        problems(vscode.languages.getDiagnostics(doc.uri)).map((d) => d.message),
        [],
      );
    } finally {
      sub.dispose();
    }
  });

  it('offers the templates on an empty machine file (a lens, no error, no Run Locally) and fills that file', async () => {
    const uri = wsFile('empty-new.asl.yaml');
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    const published = new Set<string>();
    const sub = api.onDiagnosticsPublished((u) => published.add(u.toString()));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor(() => published.has(uri.toString()), {
      recheckOn: api.onDiagnosticsPublished,
      message: 'the server to publish for the empty file',
    }).finally(() => sub.dispose());
    assert.deepEqual(vscode.languages.getDiagnostics(uri), [], 'no diagnostics on an empty file');
    const titles = async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).map(
        (l) => l.command?.title ?? '',
      );
    const lenses = await waitFor(
      async () => {
        const t = await titles();
        return t.some((x) => /New State Machine/.test(x)) && t;
      },
      { message: 'the New State Machine lens' },
    );
    assert.ok(
      !lenses.some((t) => /Run Locally/.test(t)),
      `no Run Locally lens on an empty file: ${lenses.join(' | ')}`,
    );
    const lens = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).find(
      (l) => /New State Machine/.test(l.command?.title ?? ''),
    )!;
    // the lens runs the command on this file; the template is given here instead of picked
    const filled = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
      lens.command!.command,
      'eks-run-job-sync',
      ...(lens.command!.arguments ?? []).slice(1),
    );
    assert.equal(filled?.uri.toString(), uri.toString(), 'the same file, not a new untitled one');
    assert.match(doc.getText(), /Resource: arn:aws:states:::eks:runJob\.sync/);
    await waitFor(async () => (await titles()).some((t) => /Run Locally/.test(t)), {
      message: 'the Run Locally lens once the file holds a machine',
    });
  });

  it('restarts the language server on command and keeps serving', async function () {
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!;
    assert.ok(ext.isActive, 'the extension is active');
    const { client } = ext.exports;
    await vscode.commands.executeCommand('aslWorkbench.restartServer');
    await waitFor(async () => client.isRunning(), { message: 'the client to run again' });
    const doc = await open('ecs-mistake.asl.json');
    // introduce an unknown state reference and wait for the restarted server to report it
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      doc.uri,
      new vscode.Range(positionOf(doc, '"End": true'), positionOf(doc, '"End": true', '"End": true'.length)),
      '"Next": "Nowhere"',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (d) => problems(d).some((x) => /Nowhere/.test(x.message)), {
      message: 'a diagnostic from the restarted server',
    });
  });

  it('restarts the language server by itself when its process dies', async function () {
    const { client } = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.exports;
    const pid = (client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
    assert.ok(pid, 'the language client exposes the server process id');
    const states: number[] = [];
    const sub = client.onDidChangeState((e) => states.push(e.newState));
    try {
      process.kill(pid, 'SIGKILL');
      // Running(2) -> Starting(3) -> Running(2) again, driven by the client's close handler
      await waitFor(() => states.includes(3) && client.isRunning(), {
        recheckOn: client.onDidChangeState,
        message: 'the client to restart the server',
      });
    } finally {
      sub.dispose();
    }
    const newPid = (client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
    assert.ok(newPid && newPid !== pid, `a new server process (${pid} -> ${newPid})`);
    const doc = await open('ecs-mistake.asl.json');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, positionOf(doc, '"Resource"'), '"Bogus": 1, ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (d) => problems(d).some((x) => /Bogus/.test(x.message)), {
      message: 'diagnostics from the restarted server',
    });
  });

  it('stops restarting after repeated crashes, and the restart command brings it back', async function () {
    const api = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.exports;
    const { client } = api;
    const serverPid = () => (client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;
    let gaveUpAfter: number | undefined;
    const sub = api.onServerGaveUp((n) => (gaveUpAfter = n));
    try {
      for (let i = 0; i < 6 && gaveUpAfter === undefined; i++) {
        const pid = await waitFor(async () => client.isRunning() && serverPid(), { message: 'a running server' });
        const restartedOrGaveUp = waitFor(
          () => gaveUpAfter !== undefined || (client.isRunning() && serverPid() !== pid),
          { recheckOn: client.onDidChangeState, message: `crash ${i + 1} to be handled` },
        );
        process.kill(pid, 'SIGKILL');
        await restartedOrGaveUp;
      }
    } finally {
      sub.dispose();
    }
    assert.equal(gaveUpAfter, 5, 'the client gives up at the fifth crash within three minutes');
    assert.equal(client.isRunning(), false, 'and leaves the server stopped (the user sees an error message)');
    await vscode.commands.executeCommand('aslWorkbench.restartServer');
    await waitFor(async () => client.isRunning(), { message: 'the server to run again after Restart Language Server' });
    const doc = await open('ecs-mistake.asl.json');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, positionOf(doc, '"Resource"'), '"Again": 1, ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, (d) => problems(d).some((x) => /Again/.test(x.message)), {
      message: 'diagnostics after the manual restart',
    });
  });
});
