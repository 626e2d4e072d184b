/**
 * "▶ Run Locally" and "Debug Locally" code lenses on the first line of a state machine
 * (trusted workspaces only: they start containers). Lives on the client side so it needs
 * nothing from the server.
 */
import * as vscode from 'vscode';

export const RUN_COMMAND = 'aslWorkbench.runLocally';
export const DEBUG_COMMAND = 'aslWorkbench.debugLocally';

export class RunCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file') return [];
    const text = doc.getText();
    // an empty file has nothing to run: it gets the "New State Machine" lens instead
    if (!text.trim()) return [];
    // the line of "StartAt" (the machine's top), else the first line
    const at = text.search(/["']?StartAt["']?\s*:/);
    const line = at >= 0 ? doc.positionAt(at).line : 0;
    const range = new vscode.Range(line, 0, line, 0);
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
    ];
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
