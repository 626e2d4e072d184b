/**
 * "ASL Workbench: Generate IAM Policy": asks the server for the policy Step Functions would
 * need for the whole machine and opens it as an untitled JSON editor. Also the command that
 * the server's code action "Generate IAM policy for this state machine" carries (argument:
 * the document uri).
 */
import * as vscode from 'vscode';
import { LANGUAGES } from '../languageClient';

/** Fetches the policy document for a state machine (the custom LSP request). */
export type PolicyRequester = (uri: vscode.Uri) => Promise<unknown>;

/** Which document the command acts on: the argument, else the active ASL editor. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && (LANGUAGES as readonly string[]).includes(editor.document.languageId)) return editor.document.uri;
  return undefined;
}

/** Registers the command; it returns the opened policy document (undefined when it could not). */
export function registerGenerateIamPolicy(requestPolicy: PolicyRequester, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('aslWorkbench.generateIamPolicy', async (arg?: unknown) => {
    const uri = targetUri(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('Open a state machine (.asl.json or .asl.yaml) to generate its IAM policy.');
      return undefined;
    }
    let policy: unknown;
    try {
      policy = await requestPolicy(uri);
    } catch (err) {
      const msg = `Could not generate the IAM policy: ${err instanceof Error ? err.message : String(err)}`;
      output.appendLine(`[client] ${msg}`);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    if (policy === null || policy === undefined) {
      void vscode.window.showWarningMessage('No IAM policy: the document is not a state machine the server could read.');
      return undefined;
    }
    const content = typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2) + '\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  });
}
