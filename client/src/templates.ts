/**
 * State machines inside CloudFormation/SAM/CDK templates and Terraform files, on the client
 * side: which documents the language server also reads (HOST_SELECTOR; the server answers
 * only inside definitions, so the file's own language and extensions keep the rest), the
 * machines of one (asked from the server), the pick when a command runs on a file holding
 * several, the machine uri (the file's uri with the fragment `asl-machine=<id>`) that names
 * one machine to the graph preview, Run Locally and the IAM document.
 */
import * as vscode from 'vscode';
import { resolveSubstitutions } from '../../asl/src/templates/choose';
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

/** A document the run, debug and AWS commands accept as a machine: an ASL language, or a .json/.yaml file. */
export function isMachine(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'asl' || doc.languageId === 'asl-yaml' || /\.(asl\.)?(json|ya?ml)$/i.test(doc.uri.fsPath);
}

/** The state machine a run, debug or AWS command acts on. */
export interface CommandMachine {
  /** the uri records, inputs and the graph use: the file's, or the template machine's */
  uri: vscode.Uri;
  /** the document holding it: the machine file, or the template */
  document: vscode.TextDocument;
  /** the definition's own text */
  definition: string;
  template?: TemplateMachine;
}

/**
 * The arguments of a command that takes a machine: an object naming it by `uri` (a Uri or its
 * text, from tests, other commands and lenses), a bare Uri (the explorer and editor title
 * menus), or nothing (the palette: the active editor's document).
 */
export function commandArgs<T extends { uri: vscode.Uri | string }>(
  arg: T | vscode.Uri | undefined,
): { args?: T; uri?: vscode.Uri } {
  const args: T | undefined =
    arg instanceof vscode.Uri ? ({ uri: arg } as T) : arg && typeof arg === 'object' && 'uri' in arg ? arg : undefined;
  const uri = args
    ? typeof args.uri === 'string'
      ? vscode.Uri.parse(args.uri)
      : args.uri
    : vscode.window.activeTextEditor?.document.uri;
  return { args, uri };
}

/**
 * The machine a command acts on: `uri` (a machine file, a template, or a template machine's
 * uri), else the active editor's. Undefined after telling the user why there is none (not a
 * file on disk, not a machine, a template holding none, a cancelled pick); `purpose` ends the
 * "open a state machine file … to" message.
 */
export async function commandMachine(
  client: LanguageClient,
  uri: vscode.Uri | undefined,
  action: string,
  purpose: string,
): Promise<CommandMachine | undefined> {
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      `Open a state machine file (.asl.json or .asl.yaml) on disk to ${purpose}.`,
    );
    return undefined;
  }
  const template = await templateMachine(client, uri, action);
  if (template === null) return undefined;
  const document = template?.document ?? (await vscode.workspace.openTextDocument(uri));
  if (!template && !isMachine(document)) {
    void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(uri)} is not a state machine file.`);
    return undefined;
  }
  return { uri: template?.uri ?? uri, document, definition: template?.info.definition ?? document.getText(), template };
}

/** The errors the language server reports in the machine (in a template: inside its definition). */
export function machineErrors(client: LanguageClient, m: CommandMachine): vscode.Diagnostic[] {
  const range = m.template && client.protocol2CodeConverter.asRange(m.template.info.range);
  return vscode.languages
    .getDiagnostics(m.document.uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error && (!range || !!d.range.intersection(range)));
}

/**
 * The substitutions a local run of a template's machine uses (Debug Locally and Deploy to AWS
 * use the same), in the order `asl-workbench run` takes them: the template's own values, the
 * run config's, the local stand-ins of pseudo parameters, else asked for (each missing
 * placeholder, when `ask`; `action` titles the question). Undefined when the user cancelled a
 * question.
 */
export async function runSubstitutions(
  info: EmbeddedMachineInfo,
  fromRunConfig: unknown,
  ask: boolean,
  action = `Run ${info.id} locally`,
): Promise<Record<string, string | number | boolean> | undefined> {
  const config =
    fromRunConfig && typeof fromRunConfig === 'object'
      ? (fromRunConfig as Record<string, string | number | boolean>)
      : {};
  const values = resolveSubstitutions(info, undefined, config, info.localValues);
  if (!ask) return values;
  for (const name of info.placeholders) {
    if (Object.prototype.hasOwnProperty.call(values, name)) continue;
    const typed = await vscode.window.showInputBox({
      title: `${action}: value of \${${name}}`,
      prompt: `The template gives \${${name}} no literal value; put one in the run config's "substitutions" to skip this question.`,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    values[name] = typed;
  }
  return values;
}
