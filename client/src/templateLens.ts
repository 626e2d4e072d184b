/**
 * The code lenses above each state machine of a template or Terraform file (run, debug, deploy,
 * graph, IAM policy), and the context key that shows the graph / run / IAM entries in the editor title
 * and the palette for such a file.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GENERATE_IAM_POLICY_COMMAND } from '../../server/src/protocol';
import { SHOW_GRAPH_COMMAND } from './graph/index';
import { DEBUG_COMMAND, DEPLOY_COMMAND, RUN_COMMAND } from './run/codeLens';
import { HOST_SELECTOR, isHostDocument, machinesOf, machineUri } from './templates';

/** Context key: the active editor is a template or Terraform file holding a state machine. */
export const HOLDS_MACHINES_CONTEXT = 'aslWorkbench.editorHoldsMachines';

/** Code lenses above each state machine of a template: run, debug, deploy, graph, IAM policy. */
export class TemplateCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  constructor(private readonly client: LanguageClient) {}

  /** The server read a new version of a template: its lenses may have moved. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isHostDocument(doc)) return [];
    const out: vscode.CodeLens[] = [];
    for (const m of await machinesOf(this.client, doc.uri)) {
      const at = new vscode.Range(m.range.start.line, 0, m.range.start.line, 0);
      const uri = machineUri(doc.uri, m.id);
      if (vscode.workspace.isTrusted && doc.uri.scheme === 'file')
        out.push(
          new vscode.CodeLens(at, {
            title: `▶ Run ${m.id} Locally`,
            tooltip: 'Run this state machine locally (containers, Kubernetes or mocks)',
            command: RUN_COMMAND,
            arguments: [uri],
          }),
          new vscode.CodeLens(at, {
            title: 'Debug',
            tooltip: 'Debug this state machine locally: breakpoints on its states in this file',
            command: DEBUG_COMMAND,
            arguments: [uri],
          }),
          new vscode.CodeLens(at, {
            title: 'Deploy to AWS',
            tooltip: 'Create or update this state machine in Step Functions (settings aslWorkbench.aws.*)',
            command: DEPLOY_COMMAND,
            arguments: [uri],
          }),
        );
      out.push(
        new vscode.CodeLens(at, { title: 'Graph', command: SHOW_GRAPH_COMMAND, arguments: [uri] }),
        new vscode.CodeLens(at, {
          title: 'IAM Policy',
          command: GENERATE_IAM_POLICY_COMMAND,
          arguments: [doc.uri.toString(), m.id],
        }),
      );
    }
    return out;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/**
 * Registers the template code lenses and keeps HOLDS_MACHINES_CONTEXT up to date for the
 * editor title and palette entries. `onServerRead` fires when the server analysed a document.
 */
export function registerTemplates(client: LanguageClient, onServerRead: vscode.Event<vscode.Uri>): vscode.Disposable {
  const lens = new TemplateCodeLens(client);
  let generation = 0;
  const updateContext = async (): Promise<void> => {
    const mine = ++generation;
    const doc = vscode.window.activeTextEditor?.document;
    const holds = !!doc && isHostDocument(doc) && (await machinesOf(client, doc.uri)).length > 0;
    if (mine === generation) await vscode.commands.executeCommand('setContext', HOLDS_MACHINES_CONTEXT, holds);
  };
  void updateContext();
  return vscode.Disposable.from(
    lens,
    vscode.languages.registerCodeLensProvider(HOST_SELECTOR, lens),
    vscode.window.onDidChangeActiveTextEditor(() => void updateContext()),
    onServerRead((uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!doc || !isHostDocument(doc)) return;
      lens.refresh();
      if (vscode.window.activeTextEditor?.document === doc) void updateContext();
    }),
  );
}
