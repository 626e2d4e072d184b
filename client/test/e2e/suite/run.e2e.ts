/**
 * Run Locally in the real extension host with the real Docker engine: the ECS `.sync`
 * example from the command (input given programmatically), the output channel, the
 * Executions view, the asl-exec: documents, the graph overlay; the token example stopped
 * mid-task, then no container or network with its labels remains.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { ExecutionRecord } from '../../../src/run/controller';
import { copyExample, EXTENSION_ID, metric, repoRoot } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const IMAGE = 'asl-workbench/busybox:latest';
const SYNC_STATE = 'Run an ECS Task and wait for it to complete';
const TOKEN_STATE = 'Manage ECS task';

/** `docker …` with an argument array; undefined when docker is missing or fails. */
function docker(args: string[]): string | undefined {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 });
  } catch {
    return undefined;
  }
}

describe('Run Locally with containers', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let root: string;
  let syncRun: ExecutionRecord;
  let syncUri: vscode.Uri;

  before(async function () {
    const r = repoRoot();
    assert.ok(r, 'the examples folder is found above the e2e run directory');
    root = r;
    // the test set-up (scripts/setup-docker.sh) starts the engine and builds the image
    assert.ok(
      docker(['image', 'inspect', IMAGE]) !== undefined,
      `a Docker engine with the ${IMAGE} image (run bash scripts/setup-docker.sh)`,
    );
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!;
    api = await ext.activate();
    await api.ready;
  });

  it('contributes Run Locally in the editor title and a code lens, gated on workspace trust', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: {
        commands: { command: string; enablement?: string }[];
        menus: Record<string, { command: string; when?: string }[]>;
      };
    };
    assert.match(
      pkg.contributes.commands.find((c) => c.command === 'aslWorkbench.runLocally')?.enablement ?? '',
      /isWorkspaceTrusted/,
    );
    assert.ok(
      pkg.contributes.menus['editor/title']!.some(
        (m) => m.command === 'aslWorkbench.runLocally' && /isWorkspaceTrusted/.test(m.when ?? ''),
      ),
    );
    syncUri = vscode.Uri.file(path.join(copyExample(root, 'ecs-run-task-sync'), 'state-machine.asl.json'));
    const doc = await vscode.workspace.openTextDocument(syncUri);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor(
      async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', syncUri);
        return l?.some((x) => x.command?.command === 'aslWorkbench.runLocally') ? l : undefined;
      },
      { message: 'the Run Locally code lens' },
    );
    assert.ok(lenses.find((x) => x.command?.title.includes('Run Locally')));
  });

  it('runs examples/ecs-run-task-sync from the command on real containers', async () => {
    const input = JSON.parse(fs.readFileSync(path.join(path.dirname(syncUri.fsPath), 'input.json'), 'utf8'));
    const t0 = performance.now();
    const started = await vscode.commands.executeCommand<{ executionId: string; executionArn: string }>(
      'aslWorkbench.runLocally',
      {
        uri: syncUri,
        input,
        testCase: null,
      },
    );
    assert.ok(started, 'the command returns the started execution');
    syncRun = api.runLocally.controller.find(started.executionId)!;
    assert.ok(syncRun);
    const outcome = await waitFor(() => syncRun.outcome, {
      recheckOn: api.runLocally.controller.onDidChange,
      deadlineMs: 90_000,
      message: 'the run to end',
    });
    metric('run locally: ecs-run-task-sync end to end', performance.now() - t0);
    assert.equal(outcome.status, 'SUCCEEDED', `${outcome.error ?? ''} ${outcome.cause ?? ''}`);
    const out = outcome.output as {
      LastStatus: string;
      StartedBy: string;
      Containers: { Name: string; ExitCode: number }[];
    };
    assert.equal(out.LastStatus, 'STOPPED');
    assert.equal(out.StartedBy, 'AWS Step Functions');
    assert.deepEqual(
      out.Containers.map((c) => [c.Name, c.ExitCode]),
      [['worker', 0]],
    );
  });

  it('prints timestamped events and the container logs in the output channel', () => {
    const text = api.runLocally.controller.outputText();
    assert.match(text, new RegExp(`\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] #2 ▶ ${SYNC_STATE} \\(Task\\)`));
    assert.match(text, /#\d+ TaskSubmitted/);
    assert.match(text, /running: test command 1/);
    assert.match(text, /all 3 commands done/);
    assert.match(text, new RegExp(`execution ${syncRun.id} SUCCEEDED in`));
  });

  it('lists the execution with its status, duration and history in the Executions view', async () => {
    const tree = api.runLocally.tree;
    const top = tree.getChildren();
    const node = top.find((n) => n.id === syncRun.id)!;
    const item = tree.getTreeItem(node);
    assert.equal(item.label, 'state-machine.asl.json');
    assert.match(String(item.description), /^SUCCEEDED · [\d.]+ (ms|s)/);
    const events = tree.getChildren(node).map((n) => tree.getTreeItem(n));
    const labels = events.map((i) => String(i.label));
    assert.equal(labels[0], 'ExecutionStarted');
    assert.ok(labels.includes(`${SYNC_STATE} (Task)`));
    assert.ok(events.some((i) => i.label === SYNC_STATE && String(i.description).startsWith('exited #')));
    assert.ok(labels.some((l) => l.startsWith('TaskSucceeded')));
    assert.equal(labels.at(-1), 'ExecutionSucceeded');
    // the execution's own document holds its output
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(`asl-exec:/${syncRun.id}/execution.json`));
    assert.deepEqual(JSON.parse(doc.getText()).output, syncRun.outcome!.output);
  });

  it('selecting an event shows the state input and output and reveals the state', async () => {
    const exited = syncRun.events.find((e) => e.type === 'TaskStateExited')!;
    await vscode.commands.executeCommand('aslWorkbench.showExecutionItem', {
      kind: 'event',
      id: syncRun.id,
      eventId: exited.id,
    });
    const shown = await waitFor(
      async () =>
        vscode.window.visibleTextEditors.find(
          (e) => e.document.uri.scheme === 'asl-exec' && e.document.uri.path.includes(`/${exited.id}/`),
        ),
      { message: 'the asl-exec: document beside the machine' },
    );
    const doc = JSON.parse(shown.document.getText());
    assert.equal(doc.state, SYNC_STATE);
    assert.deepEqual(doc.input.commands, ['test command 1', 'test command 2', 'test command 3']);
    assert.equal(doc.output.LastStatus, 'STOPPED');
    const machine = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === syncUri.toString())!;
    assert.ok(machine, 'the machine is visible');
    const line = machine.document.lineAt(machine.selection.active.line).text;
    assert.ok(line.includes(SYNC_STATE), `the cursor is on the state (line: ${line.trim()})`);
  });

  it('colours the graph preview with the final overlay', async () => {
    assert.ok(api.graphPreview.panelFor(syncUri), 'the graph preview opened beside the machine');
    const overlay = await waitFor(
      async () => {
        const o = api.runLocally.controller.lastOverlay(syncUri);
        return o?.states[SYNC_STATE]?.status === 'succeeded' ? o : undefined;
      },
      { message: 'the succeeded overlay' },
    );
    assert.deepEqual(overlay.states, { [SYNC_STATE]: { status: 'succeeded' } });
  });

  it('stops the token example mid-task: ABORTED, and no container or network with its labels remains', async () => {
    const dir = copyExample(root, 'ecs-wait-for-task-token');
    // the worker waits instead of calling back, so the execution is mid-task when stopped
    const tdFile = path.join(dir, 'token-worker.task-definition.json');
    const td = JSON.parse(fs.readFileSync(tdFile, 'utf8'));
    td.containerDefinitions[0].command = ['echo "worker: waiting to be stopped"; sleep 600'];
    fs.writeFileSync(tdFile, JSON.stringify(td, null, 2));
    const uri = vscode.Uri.file(path.join(dir, 'state-machine.asl.json'));
    const started = await vscode.commands.executeCommand<{ executionId: string; executionArn: string }>(
      'aslWorkbench.runLocally',
      { uri, input: {}, testCase: null },
    );
    const rec = api.runLocally.controller.find(started!.executionId)!;
    await waitFor(() => rec.events.some((e) => e.type === 'TaskSubmitted') || rec.status !== 'RUNNING', {
      recheckOn: api.runLocally.controller.onDidChange,
      deadlineMs: 60_000,
      message: 'TaskSubmitted',
    });
    assert.equal(rec.status, 'RUNNING');
    const label = `label=dev.asl-workbench.execution=${rec.executionArn}`;
    const running = await waitFor(async () => docker(['ps', '-q', '--filter', label])?.trim() || undefined, {
      message: 'the task container to run',
    });
    assert.ok(running);
    await waitFor(async () => api.runLocally.controller.lastOverlay(uri)?.states[TOKEN_STATE]?.status === 'running', {
      message: 'the running overlay',
    });
    const t0 = performance.now();
    await vscode.commands.executeCommand('aslWorkbench.stopExecution', rec.id);
    const outcome = await rec.done;
    metric('run locally: stop -> worker exited', performance.now() - t0);
    assert.equal(outcome.status, 'ABORTED');
    assert.equal(rec.events.at(-1)?.type, 'ExecutionAborted');
    assert.equal(docker(['ps', '-a', '-q', '--filter', label])?.trim(), '', 'no container of the execution remains');
    assert.equal(docker(['network', 'ls', '-q', '--filter', label])?.trim(), '', 'no network of the execution remains');
    await waitFor(async () => api.runLocally.controller.lastOverlay(uri)?.states[TOKEN_STATE]?.status === 'aborted', {
      message: 'the aborted overlay',
    });
    assert.match(api.runLocally.controller.outputText(), new RegExp(`execution ${rec.id} ABORTED`));
  });
});
