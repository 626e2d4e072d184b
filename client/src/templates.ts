/**
 * State machines inside CloudFormation/SAM/CDK templates and Terraform files, on the client
 * side: which documents the language server also reads (HOST_SELECTOR; the server answers
 * only inside definitions, so the file's own language and extensions keep the rest), the
 * machines of one (asked from the server), the pick when a command runs on a file holding
 * several, the machine uri (the file's uri with the fragment `asl-machine=<id>`) that names
 * one machine to the graph preview, Run Locally and the IAM document.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EmbeddedMachinesRequest, MACHINE_URI_FRAGMENT, type EmbeddedMachineInfo } from '../../server/src/protocol';

/** Languages of the files a state machine can live in; their language is never changed. */
const HOST_LANGUAGES = ['yaml', 'json', 'terraform'] as const;

/**
 * The documents the server is given besides ASL files. Terraform files are matched by name
 * too: without a Terraform extension VS Code opens them as plain text.
 */
export const HOST_SELECTOR: { scheme: string; language?: string; pattern?: string }[] = [
  ...HOST_LANGUAGES.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  { scheme: 'file', pattern: '**/*.tf' },
];

/** Whether a document is a template or Terraform file the server reads (not an ASL file). */
export function isHostDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId === 'asl' || doc.languageId === 'asl-yaml') return false;
  return vscode.languages.match(HOST_SELECTOR, doc) > 0;
}

/** The uri naming the state machine `id` of a template. */
export function machineUri(document: vscode.Uri, id: string): vscode.Uri {
  return document.with({ fragment: `${MACHINE_URI_FRAGMENT}${id}` });
}

/** The document of a uri and, for a machine uri, the machine's id. */
export function splitMachineUri(uri: vscode.Uri): { document: vscode.Uri; machine?: string } {
  if (!uri.fragment.startsWith(MACHINE_URI_FRAGMENT)) return { document: uri };
  return { document: uri.with({ fragment: '' }), machine: uri.fragment.slice(MACHINE_URI_FRAGMENT.length) };
}

/** The document uri and machine id as the server's requests take them. */
export function requestTarget(uri: vscode.Uri): { uri: string; machine?: string } {
  const { document, machine } = splitMachineUri(uri);
  return { uri: document.toString(), ...(machine !== undefined ? { machine } : {}) };
}

/** The state machines of a template (the server's reading of its current text). */
export async function machinesOf(client: LanguageClient, document: vscode.Uri): Promise<EmbeddedMachineInfo[]> {
  await client.start();
  const r = await client.sendRequest(EmbeddedMachinesRequest, { uri: document.toString() }).catch(() => null);
  return r?.machines ?? [];
}

/** One machine of a template, as Run Locally needs it. */
export interface TemplateMachine {
  /** its machine uri */
  uri: vscode.Uri;
  document: vscode.TextDocument;
  info: EmbeddedMachineInfo;
}

/**
 * The state machine a command acts on when `uri` is a template: the one its fragment names,
 * the only one, or the one the user picks. Undefined when `uri` is not a template; null when
 * it holds none (the user is told) or the pick was cancelled.
 */
export async function templateMachine(
  client: LanguageClient,
  uri: vscode.Uri,
  action: string,
): Promise<TemplateMachine | null | undefined> {
  const { document, machine } = splitMachineUri(uri);
  const doc = await vscode.workspace.openTextDocument(document);
  if (!isHostDocument(doc)) return undefined;
  const machines = await machinesOf(client, document);
  const name = vscode.workspace.asRelativePath(document);
  if (!machines.length) {
    void vscode.window.showInformationMessage(`${name} holds no state machine definition ASL Workbench can read.`);
    return null;
  }
  let info: EmbeddedMachineInfo | undefined;
  if (machine !== undefined) {
    info = machines.find((m) => m.id === machine);
    if (!info) {
      void vscode.window.showInformationMessage(`${name} holds no state machine '${machine}' any more.`);
      return null;
    }
  } else if (machines.length === 1) info = machines[0];
  else {
    const picked = await vscode.window.showQuickPick(
      machines.map((m) => ({ label: m.id, description: `line ${m.range.start.line + 1}`, info: m })),
      { title: `${action}: ${name} holds ${machines.length} state machines`, placeHolder: 'Which state machine?' },
    );
    info = picked?.info;
  }
  return info ? { uri: machineUri(document, info.id), document: doc, info } : null;
}

/**
 * The substitutions a local run of a template's machine uses: the run config's values, else
 * the template's own, else the local stand-ins of pseudo parameters, else asked for (each
 * missing placeholder, when `ask`). Undefined when the user cancelled a question.
 */
export async function runSubstitutions(
  info: EmbeddedMachineInfo,
  fromRunConfig: unknown,
  ask: boolean,
): Promise<Record<string, string | number | boolean> | undefined> {
  const config =
    fromRunConfig && typeof fromRunConfig === 'object'
      ? (fromRunConfig as Record<string, string | number | boolean>)
      : {};
  const values: Record<string, string | number | boolean> = { ...info.localValues, ...info.substitutions, ...config };
  if (!ask) return values;
  for (const name of info.placeholders) {
    if (Object.prototype.hasOwnProperty.call(values, name)) continue;
    const typed = await vscode.window.showInputBox({
      title: `Run ${info.id} locally: value of \${${name}}`,
      prompt: `The template gives \${${name}} no literal value; put one in the run config's "substitutions" to skip this question.`,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    values[name] = typed;
  }
  return values;
}
