/** "ASL Workbench: Restart Language Server". */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CrashPolicy } from '../crashPolicy';

/** Restarts (or starts, after it gave up) the language server; forgets earlier crashes. */
export function registerRestartServer(
  client: LanguageClient,
  crashes: CrashPolicy,
  output: vscode.OutputChannel,
): vscode.Disposable {
  return vscode.commands.registerCommand('aslWorkbench.restartServer', async () => {
    crashes.reset();
    output.appendLine('[client] restarting the language server');
    try {
      if (client.isRunning()) await client.restart();
      else await client.start();
    } catch (err) {
      const msg = `Could not restart the ASL language server: ${err instanceof Error ? err.message : String(err)}`;
      output.appendLine(`[client] ${msg}`);
      void vscode.window.showErrorMessage(msg);
    }
  });
}
