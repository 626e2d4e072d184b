/**
 * "ASL Workbench: Generate IAM Policy" (`aslWorkbench.generateIamPolicy`, argument: the
 * document uri) and the per-state `aslWorkbench.showStateIamPolicy` (arguments: uri, state
 * name) that the server's code lenses and code actions carry (server/src/protocol.ts). Both ask
 * the server for the policy and show it in ONE read-only document per machine (per machine and
 * state), `asl-iam:…/<machine>.iam.json`: running the command again, or editing the machine,
 * updates that document. The notes go into it as comments; `aslWorkbench.saveIamPolicy` (its
 * editor's Save button) writes the policy alone to `<machine>.iam.json` next to the machine.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import {
  GENERATE_IAM_POLICY_COMMAND,
  SHOW_STATE_IAM_POLICY_COMMAND,
  type IamPolicyResult,
} from '../../../server/src/protocol';
import { LANGUAGES } from '../languageClient';
import { iamDocumentName, iamDocumentText, iamFileName, policyText } from './iamDocument';
import { isHostDocument, machineUri, splitMachineUri } from '../templates';

/** Fetches the policy (the custom LSP request); `uri` may be a template's machine uri. */
export type PolicyRequester = (uri: vscode.Uri, state?: string) => Promise<IamPolicyResult | null>;
/**
 * The machine uri of the state machine a command acts on when `uri` is a template (asks when it
 * holds several); `uri` itself for a machine file; null when there is none or the user cancelled.
 */
export type MachinePicker = (uri: vscode.Uri) => Promise<vscode.Uri | null>;

export const IAM_SCHEME = 'asl-iam';
export const SAVE_IAM_POLICY_COMMAND = 'aslWorkbench.saveIamPolicy';
/** How long the document waits after the last edit of its machine before it asks again. */
const REFRESH_DEBOUNCE_MS = 300;

/** Which document a command acts on: the argument, else the active ASL editor. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  if (
    editor &&
    ((LANGUAGES as readonly string[]).includes(editor.document.languageId) || isHostDocument(editor.document))
  )
    return editor.document.uri;
  return undefined;
}

interface Source {
  machine: vscode.Uri;
  state?: string;
}

/** The name a machine goes by in the policy document: its file name, or its id in a template. */
function machineName(machine: vscode.Uri): string {
  const { document, machine: id } = splitMachineUri(machine);
  return id ?? path.posix.basename(document.path);
}

/** The policy document of a machine (and state): its name is the file the policy is saved as. */
function iamUri(machine: vscode.Uri, state?: string): vscode.Uri {
  const dir = path.posix.dirname(machine.path);
  return vscode.Uri.from({
    scheme: IAM_SCHEME,
    path: path.posix.join(dir === '.' ? '/' : dir, iamDocumentName(machineName(machine), state)),
    query: JSON.stringify({ machine: machine.toString(), ...(state ? { state } : {}) }),
  });
}

function sourceOf(uri: vscode.Uri): Source | undefined {
  try {
    const q = JSON.parse(uri.query) as { machine?: unknown; state?: unknown };
    if (typeof q.machine !== 'string') return undefined;
    return { machine: vscode.Uri.parse(q.machine), state: typeof q.state === 'string' ? q.state : undefined };
  } catch {
    return undefined;
  }
}

/** Serves the asl-iam: documents from the last policy the server answered for each. */
class IamPolicyContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly results = new Map<string, IamPolicyResult>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly requestPolicy: PolicyRequester) {
    this.subs = [
      vscode.workspace.onDidChangeTextDocument((e) => this.machineChanged(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === IAM_SCHEME) this.results.delete(d.uri.toString());
      }),
    ];
  }

  /** The policy last shown in the document at `uri`. */
  resultOf(uri: vscode.Uri): IamPolicyResult | undefined {
    return this.results.get(uri.toString());
  }

  /** Stores a new policy for the document and makes an open editor show it. */
  update(uri: vscode.Uri, result: IamPolicyResult): void {
    this.results.set(uri.toString(), result);
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const src = sourceOf(uri);
    if (!src) return '// Not an IAM policy document of ASL Workbench.\n';
    let result = this.results.get(uri.toString());
    if (!result) {
      // a document restored with the window: ask the server again
      result = (await this.requestPolicy(src.machine, src.state).catch(() => null)) ?? undefined;
      if (!result)
        return `// No IAM policy: ${src.machine.toString(true)} is not a state machine the server could read.\n`;
      this.results.set(uri.toString(), result);
    }
    return iamDocumentText(result, machineName(src.machine), src.state);
  }

  /** An edit of a machine refreshes its open policy documents (once the typing pauses). */
  private machineChanged(machine: vscode.Uri): void {
    if (machine.scheme === IAM_SCHEME) return;
    const key = machine.toString();
    for (const doc of vscode.workspace.textDocuments) {
      const source = sourceOf(doc.uri);
      if (doc.uri.scheme !== IAM_SCHEME || !source || splitMachineUri(source.machine).document.toString() !== key)
        continue;
      const id = doc.uri.toString();
      clearTimeout(this.timers.get(id));
      this.timers.set(
        id,
        setTimeout(() => {
          this.timers.delete(id);
          const src = sourceOf(doc.uri)!;
          void this.requestPolicy(src.machine, src.state).then(
            (r) => r && this.update(doc.uri, r),
            () => undefined, // the document keeps the last policy
          );
        }, REFRESH_DEBOUNCE_MS),
      );
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}

async function openPolicy(
  content: IamPolicyContent,
  requestPolicy: PolicyRequester,
  pickMachine: MachinePicker,
  output: vscode.OutputChannel,
  arg: unknown,
  state?: string,
  machine?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const target = targetUri(arg);
  if (!target) {
    void vscode.window.showInformationMessage(
      'Open a state machine (.asl.json or .asl.yaml) to generate its IAM policy.',
    );
    return undefined;
  }
  // a template's state machine: named by the command, else the one the user picks
  const uri = typeof machine === 'string' ? machineUri(target, machine) : await pickMachine(target);
  if (!uri) return undefined;
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
  const docUri = iamUri(uri, state);
  content.update(docUri, result);
  let doc = await vscode.workspace.openTextDocument(docUri);
  // the notes are comments: JSON with comments, not JSON
  if (doc.languageId !== 'jsonc') doc = await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
  const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === docUri.toString());
  await vscode.window.showTextDocument(doc, {
    preview: false,
    viewColumn: open?.viewColumn ?? vscode.ViewColumn.Beside,
  });
  return doc;
}

/** Writes the policy of an asl-iam: document to `<machine>.iam.json`; returns the file's uri. */
async function savePolicy(content: IamPolicyContent, arg: unknown): Promise<vscode.Uri | undefined> {
  const docUri =
    arg instanceof vscode.Uri
      ? arg
      : typeof arg === 'string'
        ? vscode.Uri.parse(arg)
        : vscode.window.activeTextEditor?.document.uri;
  const src = docUri?.scheme === IAM_SCHEME ? sourceOf(docUri) : undefined;
  const result = docUri && content.resultOf(docUri);
  if (!src || !result) {
    void vscode.window.showInformationMessage('Generate an IAM policy first (ASL Workbench: Generate IAM Policy).');
    return undefined;
  }
  const name = iamFileName(machineName(src.machine));
  const machineFile = splitMachineUri(src.machine).document;
  let target: vscode.Uri | undefined =
    machineFile.scheme === 'untitled' ? undefined : vscode.Uri.joinPath(machineFile, '..', name);
  let exists = false;
  if (target) {
    try {
      await vscode.workspace.fs.stat(target);
      exists = true;
    } catch {
      exists = false;
    }
  }
  if (!target) {
    // an untitled machine has no folder to save next to
    target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(name),
      filters: { 'IAM policy': ['json'] },
      title: 'Save the IAM policy',
    });
    if (!target) return undefined;
  } else if (exists) {
    const replace = await vscode.window.showWarningMessage(
      `${name} already exists. Replace it with this policy?`,
      { modal: true },
      'Replace',
    );
    if (!replace) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(policyText(result)));
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}

/**
 * Registers both commands (each returns the policy document, undefined when it could not),
 * the save command (returns the written file) and the asl-iam: documents.
 */
export function registerGenerateIamPolicy(
  requestPolicy: PolicyRequester,
  pickMachine: MachinePicker,
  output: vscode.OutputChannel,
): vscode.Disposable {
  const content = new IamPolicyContent(requestPolicy);
  return vscode.Disposable.from(
    content,
    vscode.workspace.registerTextDocumentContentProvider(IAM_SCHEME, content),
    vscode.commands.registerCommand(GENERATE_IAM_POLICY_COMMAND, (arg?: unknown, machine?: unknown) =>
      openPolicy(content, requestPolicy, pickMachine, output, arg, undefined, machine),
    ),
    vscode.commands.registerCommand(
      SHOW_STATE_IAM_POLICY_COMMAND,
      (arg?: unknown, state?: unknown, machine?: unknown) =>
        openPolicy(
          content,
          requestPolicy,
          pickMachine,
          output,
          arg,
          typeof state === 'string' ? state : undefined,
          machine,
        ),
    ),
    vscode.commands.registerCommand(SAVE_IAM_POLICY_COMMAND, (arg?: unknown) => savePolicy(content, arg)),
  );
}
