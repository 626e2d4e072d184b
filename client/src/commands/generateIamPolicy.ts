/**
 * "ASL Workbench: Generate IAM Policy" (`aslWorkbench.generateIamPolicy`, argument: the
 * document uri) and the per-state `aslWorkbench.showStateIamPolicy` (arguments: uri, state
 * name) that the server's code lenses and code actions carry (server/src/protocol.ts). Both ask
 * the server for the policy and open it in a new untitled JSON editor.
 */
import * as vscode from 'vscode';
import {
  GENERATE_IAM_POLICY_COMMAND,
  SHOW_STATE_IAM_POLICY_COMMAND,
  type IamPolicyResult,
} from '../../../server/src/protocol';
import { LANGUAGES } from '../languageClient';

/** Fetches the policy (the custom LSP request). */
export type PolicyRequester = (uri: vscode.Uri, state?: string) => Promise<IamPolicyResult | null>;

/** Which document a command acts on: the argument, else the active ASL editor. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  if (editor && (LANGUAGES as readonly string[]).includes(editor.document.languageId)) return editor.document.uri;
  return undefined;
}

async function openPolicy(
  requestPolicy: PolicyRequester,
  output: vscode.OutputChannel,
  arg: unknown,
  state?: string,
): Promise<vscode.TextDocument | undefined> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showInformationMessage(
      'Open a state machine (.asl.json or .asl.yaml) to generate its IAM policy.',
    );
    return undefined;
  }
  let result: IamPolicyResult | null;
  try {
    result = await requestPolicy(uri, state);
  } catch (err) {
    const msg = `Could not generate the IAM policy: ${err instanceof Error ? err.message : String(err)}`;
    output.appendLine(`[client] ${msg}`);
    void vscode.window.showErrorMessage(msg);
    return undefined;
  }
  if (!result) {
    void vscode.window.showWarningMessage(
      state
        ? `No IAM policy for state '${state}'.`
        : 'No IAM policy: the document is not a state machine the server could read.',
    );
    return undefined;
  }
  const content = result.json.endsWith('\n') ? result.json : result.json + '\n';
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  if (result.notes.length) {
    // what the policy cannot express (Kubernetes RBAC for runJob/call, roles to pass) goes to the log
    output.appendLine(`[iam] notes for ${uri.toString()}${state ? ` (state ${state})` : ''}:`);
    for (const n of result.notes)
      output.appendLine(`  - ${n.note}${n.states.length ? ` [${n.states.join(', ')}]` : ''}`);
    const first = result.notes[0].note;
    const summary = first.length > 140 ? `${first.slice(0, 137)}…` : first;
    const more = result.notes.length > 1 ? ` (+${result.notes.length - 1} more)` : '';
    void vscode.window.showInformationMessage(`IAM note: ${summary}${more}`, 'Show Notes').then((c) => {
      if (c) output.show(true);
    });
  }
  return doc;
}

/** Registers both commands; each returns the opened policy document (undefined when it could not). */
export function registerGenerateIamPolicy(
  requestPolicy: PolicyRequester,
  output: vscode.OutputChannel,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(GENERATE_IAM_POLICY_COMMAND, (arg?: unknown) =>
      openPolicy(requestPolicy, output, arg),
    ),
    vscode.commands.registerCommand(SHOW_STATE_IAM_POLICY_COMMAND, (arg?: unknown, state?: unknown) =>
      openPolicy(requestPolicy, output, arg, typeof state === 'string' ? state : undefined),
    ),
  );
}
