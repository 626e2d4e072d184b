/**
 * "▶ Run Locally | Debug Locally | Deploy to AWS" code lenses on the first line of a state
 * machine (trusted workspaces only: they start containers or call AWS). One provider for all
 * three keeps them in that order: VS Code orders lenses of different providers as it likes.
 * Lives on the client side so it needs nothing from the server.
 */
import * as vscode from 'vscode';

export const RUN_COMMAND = 'aslWorkbench.runLocally';
export const DEBUG_COMMAND = 'aslWorkbench.debugLocally';
export const DEPLOY_COMMAND = 'aslWorkbench.deployToAws';
/** Start Execution on AWS: offered after a deploy and from the editor title (client/src/aws/commands.ts). */
export const START_ON_AWS_COMMAND = 'aslWorkbench.startOnAws';

/** Where a machine file's lenses go: the line of "StartAt" (the machine's top), else the first line. */
function machineLensRange(doc: vscode.TextDocument): vscode.Range {
  const at = doc.getText().search(/["']?StartAt["']?\s*:/);
  const line = at >= 0 ? doc.positionAt(at).line : 0;
  return new vscode.Range(line, 0, line, 0);
}

export class RunCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file') return [];
    // an empty file has nothing to run: it gets the "New State Machine" lens instead
    if (!doc.getText().trim()) return [];
    const range = machineLensRange(doc);
    return [
      new vscode.CodeLens(range, {
        title: '▶ Run Locally',
        tooltip: 'Run this state machine locally (containers, Kubernetes or mocks)',
        command: RUN_COMMAND,
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(range, {
        title: 'Debug Locally',
        tooltip:
          'Run this state machine locally in the debugger: breakpoints on states, stepping, the data at every step',
        command: DEBUG_COMMAND,
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(range, {
        title: 'Deploy to AWS',
        tooltip: 'Create or update this state machine in Step Functions (settings aslWorkbench.aws.*)',
        command: DEPLOY_COMMAND,
        arguments: [doc.uri],
      }),
    ];
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
