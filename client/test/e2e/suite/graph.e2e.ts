/**
 * The graph preview in the real extension host: the command opens the webview beside the
 * editor, the webview draws the server's graph (checked through its own description of the
 * DOM), follows edits, keeps the last good graph while the text does not parse, colours nodes
 * from the overlay API, and works for .asl.yaml files.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { DescriptionMessage } from '../../../src/graph/messages';
import { EXTENSION_ID, metric, open, wsFile } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const MACHINE = {
  Comment: 'graph preview e2e',
  StartAt: 'Run task',
  States: {
    'Run task': {
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { Cluster: 'c', TaskDefinition: 'td:1', LaunchType: 'FARGATE' },
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.fanOut', BooleanEquals: true, Next: 'Fan out' }],
      Default: 'Done',
    },
    'Fan out': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Pass', End: true } } },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'Boom' },
  },
};

describe('Graph preview in a real VS Code', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  const rendered = (target: vscode.Uri, version: number, what: string) =>
    waitFor(
      () => {
        const r = api.graphPreview.lastRendered(target);
        return r && r.version >= version ? r : undefined;
      },
      { recheckOn: api.graphPreview.onDidRender, message: what, deadlineMs: 60_000 },
    );
  const described = (what: string, accept: (d: DescriptionMessage) => boolean) =>
    waitFor(
      async () => {
        const d = await api.graphPreview.describe(uri);
        return d && accept(d) ? d : undefined;
      },
      { message: what, deadlineMs: 30_000 },
    );

  before(async () => {
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID);
    assert.ok(ext);
    uri = wsFile('graph-preview.asl.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(MACHINE, null, 2) + '\n'));
    doc = await open('graph-preview.asl.json');
    api = await ext.activate();
    await api.ready;
  });

  it('opens beside the editor from the command, draws at once and refines the layout with elkjs', async () => {
    const t0 = performance.now();
    const engines: string[] = [];
    const sub = api.graphPreview.onDidRender((e) => {
      if (e.uri === uri.toString()) engines.push(e.message.engine);
    });
    try {
      await vscode.commands.executeCommand('aslWorkbench.showGraphPreview');
      await rendered(uri, doc.version, 'the first graph');
      metric('graph preview: command -> first render', performance.now() - t0);
      await waitFor(() => engines.includes('elk'), {
        recheckOn: api.graphPreview.onDidRender,
        message: 'the elkjs layout',
        deadlineMs: 60_000,
      });
      metric('graph preview: command -> elkjs layout', performance.now() - t0);
    } finally {
      sub.dispose();
    }
    assert.equal(engines[0], 'fast', 'the first picture comes from the quick layout');
    const panel = api.graphPreview.panelFor(uri);
    assert.ok(panel, 'a panel for the document');
    assert.notEqual(panel.viewColumn, vscode.window.activeTextEditor?.viewColumn, 'beside the editor');
    const d = await described('the drawn nodes', (x) => x.nodes.length > 0);
    assert.deepEqual(d.nodes.map((n) => n.id).sort(), [
      'Done',
      'Failed',
      'Fan out',
      'Fan out/ItemProcessor/Work',
      'Route',
      'Run task',
    ]);
    const task = d.nodes.find((n) => n.id === 'Run task')!;
    assert.ok(task.classes.includes('type-task'));
    assert.match(task.ariaLabel, /Task state Run task, start, ecs:runTask\.sync, 1 retry rule/);
  });

  it('follows edits and keeps the last good graph while the text does not parse', async () => {
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const added = {
      ...MACHINE,
      States: { ...MACHINE.States, Done: { Type: 'Pass', Next: 'Added' }, Added: { Type: 'Succeed' } },
    };
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    await editor.edit((e) => e.replace(whole, JSON.stringify(added, null, 2) + '\n'));
    await rendered(uri, doc.version, 'the edited graph');
    await described('the added state', (d) => d.nodes.some((n) => n.id === 'Added') && !d.banner);

    const end = doc.positionAt(doc.getText().lastIndexOf('}'));
    await editor.edit((e) => e.delete(new vscode.Range(end, end.translate(0, 1))));
    await rendered(uri, doc.version, 'the unparseable version');
    const d = await described('the banner over the last good graph', (x) => !!x.banner);
    assert.match(
      d.banner ?? '',
      /^Syntax error at line \d+: .*\. Showing the last graph that parsed \((just now|\d+ s ago)\); it updates when the document parses again\.$/,
    );
    assert.ok(
      d.nodes.some((n) => n.id === 'Added'),
      'the last good graph stays drawn',
    );
    await editor.edit((e) => e.insert(end, '}'));
    await described('the banner gone', (x) => !x.banner);
  });

  it('colours nodes from the overlay API with Map counters', async () => {
    api.graphPreview.applyOverlay(uri, {
      states: {
        'Run task': { status: 'succeeded' },
        Route: { status: 'succeeded' },
        'Fan out': { status: 'running', iterations: { total: 4, succeeded: 1, failed: 0, running: 3 } },
      },
    });
    const d = await described('the overlay classes', (x) =>
      x.nodes.some((n) => n.id === 'Fan out' && n.classes.includes('status-running')),
    );
    assert.ok(d.nodes.find((n) => n.id === 'Run task')!.classes.includes('status-succeeded'));
    assert.equal(d.nodes.find((n) => n.id === 'Fan out')!.counter, '1/4 ▶3');
    api.graphPreview.clearOverlay(uri);
    await described('the overlay cleared', (x) => !x.nodes.some((n) => n.classes.some((c) => c.startsWith('status-'))));
  });

  it('shows the graph of an .asl.yaml file', async () => {
    const yaml = await open('eks-run-job.asl.yaml');
    await vscode.commands.executeCommand('aslWorkbench.showGraphPreview', yaml.uri);
    const r = await rendered(yaml.uri, yaml.version, 'the YAML graph');
    assert.ok(r.nodes >= 3, 'start marker, state, end marker');
    const d = await waitFor(
      async () => {
        const x = await api.graphPreview.describe(yaml.uri);
        return x && x.nodes.length ? x : undefined;
      },
      { message: 'the YAML nodes' },
    );
    assert.deepEqual(
      d.nodes.map((n) => n.id),
      ['Run job'],
    );
    assert.ok(d.nodes[0].classes.includes('type-task'));
  });
});
