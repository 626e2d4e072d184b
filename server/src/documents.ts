/**
 * The document cache: one TextDocument per open uri (incremental sync), and ONE `analyze`
 * (parse + model) per (uri, version), computed lazily and shared by every feature
 * (docs/architecture.md "Data flows").
 *
 * A document in another language than ASL (a CloudFormation/SAM/CDK template, a Terraform
 * file) is a host: it has no analysis of its own, but each state machine found in it has one,
 * of the machine's own text, reachable under a machine uri (`machineUri`); embedded.ts maps
 * positions between the two.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { DocumentFormat, MachineModel, ParsedDocument } from '../../asl/src/types';
import { formatOf } from '../../asl/src/parse/format';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules';
import { StateFindings } from '../../asl/src/rules/reuse';
import type { AslDiagnostic, ValidateOptions } from '../../asl/src/rules/types';
import {
  filterPlaceholderNotes,
  findMachines,
  machineOptions,
  mayHoldMachines,
  type EmbeddedMachine,
} from '../../asl/src/templates';
import { MACHINE_URI_FRAGMENT } from './protocol';

/** Languages whose documents are state machines themselves; any other open document is a host. */
export const MACHINE_LANGUAGES: ReadonlySet<string> = new Set(['asl', 'asl-yaml']);
const MACHINE_FRAGMENT = `#${MACHINE_URI_FRAGMENT}`;

/** The uri features see for the state machine `id` of the host document `hostUri`. */
export function machineUri(hostUri: string, id: string): string {
  return `${hostUri}${MACHINE_FRAGMENT}${encodeURIComponent(id)}`;
}

/** The host uri and machine id of a machine uri; undefined for any other uri. */
export function parseMachineUri(uri: string): { host: string; id: string } | undefined {
  const at = uri.lastIndexOf(MACHINE_FRAGMENT);
  if (at < 0) return undefined;
  try {
    return { host: uri.slice(0, at), id: decodeURIComponent(uri.slice(at + MACHINE_FRAGMENT.length)) };
  } catch {
    return undefined;
  }
}

/** A state machine of an open host document, with the analysis of its own text. */
export interface HostedMachine {
  machine: EmbeddedMachine;
  /** its machine uri */
  uri: string;
  entry: DocumentEntry;
}

/** Reads a file named relative to a host document (DefinitionUri, Terraform `file(...)`). */
export type HostFileReader = (hostUri: string) => ((relativePath: string) => string | undefined) | undefined;

/** The cached analysis of one version of one document. */
export interface DocumentEntry {
  uri: string;
  version: number;
  languageId: string;
  doc: ParsedDocument;
  model: MachineModel;
  /** computed lazily once per version (and per validation options) */
  diagnostics(): AslDiagnostic[];
}

export type DocumentChangeListener = (uri: string, version: number) => void;

interface Slot {
  text: TextDocument;
  entry?: DocumentEntry;
  hosted?: { version: number; machines: HostedMachine[] };
}

/** Holds open documents; `get` parses on first use per version. */
export class DocumentStore {
  private readonly slots = new Map<string, Slot>();
  /** per document (or hosted machine) uri: what its last validation found on each state, for the next one */
  private readonly findings = new Map<string, StateFindings>();
  private readonly listeners: DocumentChangeListener[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  /** @param options validation options of a document (read at diagnostics time, e.g. from settings and its run config) */
  /**
   * @param options validation options of a document (read at diagnostics time, e.g. from settings and its run config)
   * @param readBeside how a host document reads the files its definitions point at
   */
  constructor(
    private readonly options: (uri: string) => ValidateOptions = () => ({ machineType: 'STANDARD' }),
    private readonly readBeside: HostFileReader = () => undefined,
  ) {}

  /** textDocument/didOpen */
  open(uri: string, languageId: string, version: number, text: string): void {
    this.slots.set(uri, { text: TextDocument.create(uri, languageId, version, text) });
    this.fire(uri, version);
  }

  /** textDocument/didChange; accepts incremental and full-text changes. */
  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    const slot = this.slots.get(uri);
    if (!slot) return;
    slot.text = TextDocument.update(slot.text, contentChanges, version);
    slot.entry = undefined;
    this.fire(uri, version);
  }

  /** textDocument/didClose */
  close(uri: string): void {
    if (!this.slots.delete(uri)) return;
    for (const key of this.findings.keys())
      if (key === uri || parseMachineUri(key)?.host === uri) this.findings.delete(key);
    for (const l of this.closeListeners) l(uri);
  }

  /**
   * The analysed document (parsed once per version), or undefined when not open. A host
   * document has none; a machine uri answers that machine's analysis.
   */
  get(uri: string): DocumentEntry | undefined {
    const slot = this.slots.get(uri);
    if (!slot) {
      const m = parseMachineUri(uri);
      return m ? this.machines(m.host).find((h) => h.machine.id === m.id)?.entry : undefined;
    }
    if (isHost(slot)) return undefined;
    if (!slot.entry || slot.entry.version !== slot.text.version) {
      const t = slot.text;
      slot.entry = this.build(uri, t.version, t.languageId, t.getText(), formatOf(uri, t.languageId), () =>
        this.options(uri),
      );
    }
    return slot.entry;
  }

  /** Whether `uri` is an open host document (a template or Terraform file, not an ASL file). */
  isHost(uri: string): boolean {
    const slot = this.slots.get(uri);
    return !!slot && isHost(slot);
  }

  /** The state machines of an open host document (found once per version); [] for any other uri. */
  machines(uri: string): HostedMachine[] {
    const slot = this.slots.get(uri);
    if (!slot || !isHost(slot)) return [];
    if (slot.hosted?.version !== slot.text.version)
      slot.hosted = { version: slot.text.version, machines: this.findHosted(uri, slot.text) };
    return slot.hosted.machines;
  }

  /** The current text of an open document. */
  text(uri: string): string | undefined {
    return this.slots.get(uri)?.text.getText();
  }

  /** The TextDocument (for offset/position conversions by features). */
  textDocument(uri: string): TextDocument | undefined {
    return this.slots.get(uri)?.text;
  }

  /** Uris of all open documents. */
  uris(): string[] {
    return [...this.slots.keys()];
  }

  /** Drops cached diagnostics of every document (e.g. after a settings change). */
  invalidateDiagnostics(): void {
    for (const slot of this.slots.values()) {
      slot.entry = undefined;
      slot.hosted = undefined;
    }
  }

  /** Called after open and every change (not on close). */
  onDidChange(listener: DocumentChangeListener): void {
    this.listeners.push(listener);
  }

  /** Called after a document was closed. */
  onDidClose(listener: (uri: string) => void): void {
    this.closeListeners.push(listener);
  }

  private fire(uri: string, version: number): void {
    for (const l of this.listeners) l(uri, version);
  }

  private findHosted(uri: string, text: TextDocument): HostedMachine[] {
    const source = text.getText();
    const fileName = fileNameOf(uri);
    if (!mayHoldMachines(fileName, source)) return [];
    return findMachines(source, fileName, this.readBeside(uri)).map((machine) => {
      const at = machineUri(uri, machine.id);
      // the run config's values are the user's local choice and win over the template's own
      const options = (): ValidateOptions => machineOptions(machine, this.options(uri));
      // placeholders the template fills itself (Ref, Fn::GetAtt, pseudo parameters) need no value
      const keep = (diags: AslDiagnostic[], o: ValidateOptions) =>
        filterPlaceholderNotes(machine, diags, o.substitutions ?? {});
      return {
        machine,
        uri: at,
        entry: this.build(at, text.version, text.languageId, machine.text, machine.format, options, keep),
      };
    });
  }

  private build(
    uri: string,
    version: number,
    languageId: string,
    text: string,
    format: DocumentFormat,
    options: () => ValidateOptions,
    keep: (diags: AslDiagnostic[], options: ValidateOptions) => AslDiagnostic[] = (diags) => diags,
  ): DocumentEntry {
    const { doc, model } = analyze(text, format);
    let findings = this.findings.get(uri);
    if (!findings) this.findings.set(uri, (findings = new StateFindings()));
    let cached: { key: string; value: AslDiagnostic[] } | undefined;
    return {
      uri,
      version,
      languageId,
      doc,
      model,
      // the options come from the settings and the run config, which change without the text
      // changing: they are read when diagnostics are asked for, and the rules run again on the
      // same model when they differ
      diagnostics(): AslDiagnostic[] {
        const opts = options();
        const key = `${opts.machineType}|${JSON.stringify(opts.substitutions ?? null)}`;
        if (!cached || cached.key !== key) cached = { key, value: keep(validateModel(model, opts, findings), opts) };
        return cached.value;
      },
    };
  }
}

function isHost(slot: Slot): boolean {
  return !MACHINE_LANGUAGES.has(slot.text.languageId);
}

/** The path of a uri (`cdk.out/…/x.template.json`, `main.tf`: the name and folders tell a host's kind). */
function fileNameOf(uri: string): string {
  const path = uri.replace(/[?#].*$/, '').replace(/^[a-z][a-z0-9+.-]*:(\/\/[^/]*)?/i, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
