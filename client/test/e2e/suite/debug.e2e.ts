/**
 * Debug Locally in the real extension host with the real debug adapter (dist/debugAdapter.js)
 * on the ECS example with its mock config (no container engine needed): the contributions,
 * the configuration the `asl` provider fills (program, mock config), a breakpoint that stops
 * the session and that the graph preview marks with the paused state, Continue to the end;
 * and the CloudFormation example's machine debugged from its template lens, stopping at a
 * breakpoint on a line of the template.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { DescriptionMessage } from '../../../src/graph/messages';
import { machineUri } from '../../../src/templates';
import { copyExample, EXTENSION_ID, positionOf, repoRoot } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const STATE = 'Run an ECS Task and wait for it to complete';

/** The next `asl` debug session that starts. */
function nextSession(): Promise<vscode.DebugSession> {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidStartDebugSession((s) => {
      if (s.type !== 'asl') return;
      sub.dispose();
      resolve(s);
    });
  });
}

/** Resolves when `session` ends. */
function ended(session: vscode.DebugSession): Promise<void> {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id !== session.id) return;
      sub.dispose();
      resolve();
    });
  });
}

describe('Debug Locally', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  const described = (what: string, accept: (d: DescriptionMessage) => boolean) =>
    waitFor(
      async () => {
        const d = await api.graphPreview.describe(uri);
        return d && accept(d) ? d : undefined;
      },
      { message: what, deadlineMs: 60_000, intervalMs: 100 },
    );
  const classesOf = (d: DescriptionMessage, id: string): string[] => d.nodes.find((n) => n.id === id)?.classes ?? [];

  before(async function () {
    const root = repoRoot();
    assert.ok(root, 'the examples folder is found above the e2e run directory');
    api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.ready;
    uri = vscode.Uri.file(
      path.join(copyExample(root, 'ecs-run-task-sync', 'debug-examples'), 'state-machine.asl.json'),
    );
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  after(() => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('contributes the asl debugger, breakpoints in ASL files and in templates, and Debug Locally gated on trust', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: {
        debuggers: { type: string; program: string; runtime: string }[];
        breakpoints: { language: string; when?: string }[];
        commands: { command: string; enablement?: string }[];
        menus: Record<string, { command: string; when?: string }[]>;
      };
    };
    const dbg = pkg.contributes.debuggers.find((d) => d.type === 'asl');
    assert.deepEqual([dbg?.program, dbg?.runtime], ['./dist/debugAdapter.js', 'node']);
    // in YAML, JSON and Terraform files only while the editor holds a state machine (a template)
    assert.deepEqual(
      pkg.contributes.breakpoints.map((b) => [b.language, b.when ?? '']),
      [
        ['asl', ''],
        ['asl-yaml', ''],
        ['yaml', 'aslWorkbench.editorHoldsMachines'],
        ['json', 'aslWorkbench.editorHoldsMachines'],
        ['terraform', 'aslWorkbench.editorHoldsMachines'],
      ],
    );
    assert.match(
      pkg.contributes.commands.find((c) => c.command === 'aslWorkbench.debugLocally')?.enablement ?? '',
      /isWorkspaceTrusted/,
    );
    assert.ok(
      pkg.contributes.menus['editor/title']!.some(
        (m) => m.command === 'aslWorkbench.debugLocally' && /isWorkspaceTrusted/.test(m.when ?? ''),
      ),
    );
  });

  it('offers Debug Locally as a code lens next to Run Locally', async () => {
    const lenses = await waitFor(
      async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        return l?.some((x) => x.command?.command === 'aslWorkbench.debugLocally') ? l : undefined;
      },
      { message: 'the Debug Locally code lens' },
    );
    const titles = lenses.map((l) => l.command?.title).filter((t) => /Locally/.test(t ?? ''));
    assert.deepEqual(titles, ['▶ Run Locally', 'Debug Locally']);
  });

  it('stops at a breakpoint on the state, marks it on the graph, and runs to the end on continue', async () => {
    const line = positionOf(doc, `"${STATE}": {`).line;
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line, 0)))]);
    await api.graphPreview.show(uri);
    await described('the breakpoint on the graph', (d) => classesOf(d, STATE).includes('breakpoint'));

    const paused = new Promise<vscode.DebugSessionCustomEvent>((resolve) => {
      const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== 'aslState' || (e.body as { status?: string }).status !== 'paused') return;
        sub.dispose();
        resolve(e);
      });
    });
    const started = nextSession();
    const ok = await vscode.commands.executeCommand<boolean>('aslWorkbench.debugLocally', {
      uri,
      input: { commands: ['echo one'] },
      testCase: 'HappyPath',
    });
    assert.equal(ok, true);
    const session = await started;
    const done = ended(session);
    // the provider filled what the command left out
    assert.equal(session.configuration.program, uri.fsPath);
    assert.equal(session.configuration.mockConfig, path.join(path.dirname(uri.fsPath), 'mock-config.json'));
    assert.equal(session.configuration.testCase, 'HappyPath');

    const event = await paused;
    assert.deepEqual((event.body as { statePath: string[] }).statePath, [STATE]);
    await described('the paused state on the graph', (d) => classesOf(d, STATE).includes('debug-paused'));
    const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: threads[0]!.id })) as {
      stackFrames: { name: string; line: number }[];
    };
    assert.match(stackFrames[0]!.name, new RegExp(STATE));
    assert.equal(stackFrames[0]!.line, line + 1, 'the frame is on the line of the state (1-based)');

    await session.customRequest('continue', { threadId: threads[0]!.id });
    await done;
    await described('no paused state once the session ended', (d) => !classesOf(d, STATE).includes('debug-paused'));
  });

  it('F5 without a program debugs the machine of the active editor', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.window.showTextDocument(doc);
    const started = nextSession();
    const ok = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), {
      type: 'asl',
      request: 'launch',
      name: 'active machine',
      input: { commands: [] },
      testCase: 'HappyPath',
    });
    assert.equal(ok, true);
    const session = await started;
    const done = ended(session);
    assert.equal(session.configuration.program, uri.fsPath);
    await done;
  });
  it("offers Debug in a template's lens and stops at a breakpoint on a template line inside the state", async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const template = vscode.Uri.file(
      path.join(copyExample(repoRoot()!, 'cloudformation', 'debug-template'), 'template.yaml'),
    );
    const tdoc = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(template));
    const lenses = await waitFor(
      async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', template);
        return l?.some((x) => x.command?.command === 'aslWorkbench.debugLocally') ? l : undefined;
      },
      { message: "the template's Debug code lens", deadlineMs: 60_000 },
    );
    const debug = lenses.find((l) => l.command?.command === 'aslWorkbench.debugLocally')!;
    assert.deepEqual(lenses.map((l) => l.command?.title).slice(0, 2), ['▶ Run RunCommands Locally', 'Debug']);
    const target = debug.command!.arguments![0] as vscode.Uri;
    assert.equal(target.toString(), machineUri(template, 'RunCommands').toString());

    // a line inside the state, below its name: the breakpoint moves to the name
    const inside = positionOf(tdoc.document, 'LaunchType: FARGATE').line;
    const name = positionOf(tdoc.document, 'Run commands:', 0, 0).line;
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(template, new vscode.Position(inside, 0))),
    ]);
    const paused = new Promise<void>((resolve) => {
      const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== 'aslState' || (e.body as { status?: string }).status !== 'paused') return;
        sub.dispose();
        resolve();
      });
    });
    const started = nextSession();
    const ok = await vscode.commands.executeCommand<boolean>('aslWorkbench.debugLocally', {
      uri: target,
      input: { commands: ['echo one'] },
      testCase: 'HappyPath',
    });
    assert.equal(ok, true);
    const session = await started;
    const done = ended(session);
    assert.deepEqual([session.configuration.program, session.configuration.machine], [template.fsPath, 'RunCommands']);
    await paused;
    const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
    const threadId = threads[0]!.id;
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as {
      stackFrames: { name: string; line: number; source?: { path?: string } }[];
    };
    assert.deepEqual([stackFrames[0]!.name, stackFrames[0]!.line], ['Run commands', name + 1]);
    // a path, or in the web workbench a vscode-remote: uri with the path
    const source = stackFrames[0]!.source?.path;
    assert.ok(source?.endsWith(template.path), `the frame's source ${source}`);
    await session.customRequest('continue', { threadId });
    await done;
  });
});
