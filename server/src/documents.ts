/**
 * The document cache: one TextDocument per open uri (incremental sync), and ONE `analyze`
 * (parse + model) per (uri, version), computed lazily and shared by every feature
 * (docs/architecture.md "Data flows").
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { MachineModel, ParsedDocument } from '../../asl/src/types';
import { formatOf } from '../../asl/src/parse/format';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules';
import type { AslDiagnostic, ValidateOptions } from '../../asl/src/rules/types';

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
}

/** Holds open documents; `get` parses on first use per version. */
export class DocumentStore {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners: DocumentChangeListener[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  /** @param options validation options of a document (read at diagnostics time, e.g. from settings and its run config) */
  constructor(private readonly options: (uri: string) => ValidateOptions = () => ({ machineType: 'STANDARD' })) {}

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
    for (const l of this.closeListeners) l(uri);
  }

  /** The analysed document (parsed once per version), or undefined when not open. */
  get(uri: string): DocumentEntry | undefined {
    const slot = this.slots.get(uri);
    if (!slot) return undefined;
    if (!slot.entry || slot.entry.version !== slot.text.version) slot.entry = this.build(uri, slot.text);
    return slot.entry;
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
    for (const slot of this.slots.values()) slot.entry = undefined;
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

  private build(uri: string, text: TextDocument): DocumentEntry {
    const { doc, model } = analyze(text.getText(), formatOf(uri, text.languageId));
    let cached: { key: string; value: AslDiagnostic[] } | undefined;
    const options = this.options;
    return {
      uri,
      version: text.version,
      languageId: text.languageId,
      doc,
      model,
      // the options come from the settings and the run config, which change without the text
      // changing: they are read when diagnostics are asked for, and the rules run again on the
      // same model when they differ
      diagnostics(): AslDiagnostic[] {
        const opts = options(uri);
        const key = `${opts.machineType}|${JSON.stringify(opts.substitutions ?? null)}`;
        if (!cached || cached.key !== key) cached = { key, value: validateModel(model, opts) };
        return cached.value;
      },
    };
  }
}
