/**
 * State machines inside host documents (CloudFormation/SAM/CDK templates, Terraform files).
 * Every language feature runs unchanged on a machine's own text (its machine uri, see
 * documents.ts); this layer routes a request at a host position into the machine that holds
 * it and maps the answer back: ranges through the machine's offset map, edits through its
 * encoder (JSON-string escaping, block-scalar indentation). An edit the host cannot hold is
 * dropped with whatever carries it (the completion item, the quick fix, the whole rename),
 * never written half or wrongly. At a host position outside every definition the server
 * answers nothing, so the host language's own extension keeps the rest of the file.
 *
 * `embeddedConnection` wraps the connection the features register on, so no feature knows
 * about hosts; the diagnostics feature asks `hostedDiagnostics` for a host's list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity,
  ErrorCodes,
  InsertTextFormat,
  ResponseError,
  SymbolKind,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentStore, HostedMachine, HostFileReader } from './documents';
import {
  GENERATE_IAM_POLICY_COMMAND,
  IamPolicyRequest,
  SHOW_STATE_IAM_POLICY_COMMAND,
  StateGraphRequest,
  type StateGraphResult,
} from './protocol';
import { toLspDiagnostic } from './features/shared/lspDiagnostic';
import { expandSnippet } from '../../asl/src/text/snippet';
import { ruleHref } from '../../asl/src/rules';

/** Files a definition points at are read up to this size (a larger one is not a definition). */
const MAX_DEFINITION_FILE_BYTES = 5_000_000;

/** Reads files next to a `file:` host document; other documents read nothing. */
export const readBesideHost: HostFileReader = (hostUri) => {
  if (!hostUri.startsWith('file:')) return undefined;
  let dir: string;
  try {
    dir = path.dirname(fileURLToPath(hostUri));
  } catch {
    return undefined;
  }
  return (relative) => {
    try {
      const file = path.resolve(dir, relative);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st?.isFile() || st.size > MAX_DEFINITION_FILE_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
};

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** One machine of an open host: the mapping between host positions and the machine's text. */
export class MachineView {
  constructor(
    readonly hostUri: string,
    readonly host: TextDocument,
    readonly hosted: HostedMachine,
  ) {}

  get id(): string {
    return this.hosted.machine.id;
  }
  get uri(): string {
    return this.hosted.uri;
  }
  private get doc() {
    return this.hosted.entry.doc;
  }

  /** The machine position of a host position; undefined outside the definition. */
  toMachine(p: Position): Position | undefined {
    const at = this.hosted.machine.fromHost(this.host.offsetAt(p));
    return at === undefined ? undefined : this.doc.positionAt(at);
  }

  /** The machine range of a host range; undefined unless both ends are inside the definition. */
  toMachineRange(r: Range): Range | undefined {
    const m = this.hosted.machine;
    const from = this.host.offsetAt(r.start);
    const to = this.host.offsetAt(r.end);
    const start = m.fromHost(from);
    // the end of a range is where its last character ends: a host offset just after a token
    // (a closing quote) may map to the machine's next character
    const last = to > from ? m.fromHost(to - 1) : start;
    if (start === undefined || last === undefined) return undefined;
    const end = to > from ? last + 1 : start;
    return { start: this.doc.positionAt(start), end: this.doc.positionAt(Math.max(start, end)) };
  }

  /** The host range of a machine range (inside the definition). */
  toHostRange(r: Range): Range {
    const m = this.hosted.machine;
    const clamp = (h: number) => Math.max(m.hostRange.start, Math.min(m.hostRange.end, h));
    const start = clamp(m.toHost(this.doc.offsetAt(r.start)));
    const end = Math.max(start, clamp((m.toHostEnd ?? m.toHost).call(m, this.doc.offsetAt(r.end))));
    return { start: this.host.positionAt(start), end: this.host.positionAt(end) };
  }

  /** The host edit writing a machine edit; undefined when the host cannot hold it there. */
  encode(edit: TextEdit): TextEdit | undefined {
    const start = this.doc.offsetAt(edit.range.start);
    const end = this.doc.offsetAt(edit.range.end);
    const e = this.hosted.machine.encodeEdit(start, end, edit.newText);
    if (!e) return undefined;
    return { range: { start: this.host.positionAt(e.start), end: this.host.positionAt(e.end) }, newText: e.text };
  }

  /** Whether the machine text is the host text itself at this place (no escaping to do). */
  private verbatim(edit: TextEdit): boolean {
    return this.encode(edit)?.newText === edit.newText;
  }

  /**
   * A completion item's edit in the host: a snippet keeps its tab stops only where the text is
   * written verbatim (inside an escaped string the editor would read the escapes as snippet
   * syntax); elsewhere it is written as the text it inserts.
   */
  encodeCompletion(edit: TextEdit, snippet: boolean): { edit: TextEdit; snippet: boolean } | undefined {
    let text = edit.newText;
    if (snippet) {
      try {
        text = expandSnippet(edit.newText);
      } catch {
        return undefined; // not a snippet the editor could expand either
      }
      if (this.verbatim(edit) && this.verbatim({ ...edit, newText: text }))
        return { edit: this.encode(edit)!, snippet: true };
    }
    const e = this.encode({ range: edit.range, newText: text });
    return e && { edit: e, snippet: false };
  }

  /** How `text` is written at a machine position in the host (filter text of a completion item). */
  encodeAt(at: Position, text: string): string | undefined {
    return this.encode({ range: { start: at, end: at }, newText: text })?.newText;
  }

  /** Maps a machine-uri string in a result back (the host uri). */
  uriOf(uri: string): string {
    return uri === this.uri ? this.hostUri : uri;
  }
}

/** The machines of an open host document as views; [] for any other document. */
export function machineViews(documents: DocumentStore, uri: string): MachineView[] {
  const host = documents.textDocument(uri);
  if (!host || !documents.isHost(uri)) return [];
  return documents.machines(uri).map((h) => new MachineView(uri, host, h));
}

/** The machine whose definition holds a host position. */
export function machineAt(
  documents: DocumentStore,
  uri: string,
  p: Position,
): { view: MachineView; position: Position } | undefined {
  for (const view of machineViews(documents, uri)) {
    // a definition read from another file is edited there; its reference here only points at it
    if (view.hosted.machine.definitionFile !== undefined) continue;
    const position = view.toMachine(p);
    if (position) return { view, position };
  }
  return undefined;
}

/**
 * The diagnostics of a host document: each machine's, in host ranges, and the problems of the
 * template around the definitions. Undefined for a document that is not a host.
 */
export function hostedDiagnostics(
  documents: DocumentStore,
  uri: string,
): { version: number; diagnostics: Diagnostic[] } | undefined {
  const host = documents.textDocument(uri);
  if (!host || !documents.isHost(uri)) return undefined;
  const out: Diagnostic[] = [];
  for (const view of machineViews(documents, uri)) {
    const { entry, machine } = view.hosted;
    const diags = entry.doc.text.trim() ? entry.diagnostics() : [];
    for (const d of diags) out.push(mapResult(view, toLspDiagnostic(d, entry.doc, view.uri)) as Diagnostic);
    for (const d of machine.hostDiagnostics) {
      out.push({
        range: { start: host.positionAt(d.start), end: host.positionAt(d.end) },
        severity: SEVERITY[d.severity],
        code: d.code,
        codeDescription: { href: ruleHref(d.code) },
        source: 'asl-workbench',
        message: d.message,
      });
    }
  }
  return { version: host.version, diagnostics: out };
}

// ---------------------------------------------------------------- mapping answers back

/** Marks a value the host cannot hold (an edit that cannot be encoded). */
const DROP = Symbol('drop');

type Json = unknown;

function isPosition(v: Json): v is Position {
  return !!v && typeof v === 'object' && typeof (v as Position).line === 'number' && 'character' in v;
}
function isRange(v: Json): v is Range {
  return !!v && typeof v === 'object' && isPosition((v as Range).start) && isPosition((v as Range).end);
}
function isTextEdit(v: Json): v is TextEdit {
  return !!v && typeof v === 'object' && isRange((v as TextEdit).range) && typeof (v as TextEdit).newText === 'string';
}

/** Command arguments that name a machine by its uri name it by host uri and machine id instead. */
function mapCommand(view: MachineView, command: { command: string; arguments?: unknown[] }) {
  const args = command.arguments;
  if (!args || args[0] !== view.uri) return command;
  if (command.command === SHOW_STATE_IAM_POLICY_COMMAND)
    return { ...command, arguments: [view.hostUri, args[1], view.id] };
  if (command.command === GENERATE_IAM_POLICY_COMMAND) return { ...command, arguments: [view.hostUri, view.id] };
  return { ...command, arguments: args.map((a) => (a === view.uri ? view.hostUri : a)) };
}

/**
 * Maps any answer of a feature from the machine to the host: ranges, edits (atomic lists:
 * one edit the host cannot hold drops the list and what holds it), uris, commands, completion
 * items (edit, snippet, filter text). Returns DROP when the value as a whole cannot be kept.
 */
function mapResult(view: MachineView, v: Json): Json | typeof DROP {
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (const x of v) {
      const m = mapResult(view, x);
      if (m !== DROP) out.push(m);
      else if (isTextEdit(x)) return DROP; // edit lists apply together or not at all
    }
    return out;
  }
  if (!v || typeof v !== 'object') return typeof v === 'string' ? view.uriOf(v) : v;
  if (isTextEdit(v)) return view.encode(v) ?? DROP;
  if (isRange(v)) return view.toHostRange(v);
  const o = v as Record<string, Json>;
  if (typeof o.command === 'string' && (o.arguments === undefined || Array.isArray(o.arguments)))
    return mapCommand(view, o as { command: string; arguments?: unknown[] });
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === 'changes' && x && typeof x === 'object' && !Array.isArray(x)) {
      const changes: Record<string, Json> = {};
      for (const [uri, edits] of Object.entries(x)) {
        const m = mapResult(view, edits);
        if (m === DROP) return DROP;
        changes[view.uriOf(uri)] = m;
      }
      out[k] = changes;
      continue;
    }
    if (k === 'textEdit' && isTextEdit(x)) {
      const e = view.encodeCompletion(x, o.insertTextFormat === InsertTextFormat.Snippet);
      if (!e) return DROP;
      out.textEdit = e.edit;
      out.insertTextFormat = e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
      // the editor filters by the host text typed so far, which is escaped like the edit
      const filter = view.encodeAt(x.range.start, String(o.filterText ?? o.label ?? ''));
      if (filter !== undefined && filter !== (o.filterText ?? o.label)) out.filterText = filter;
      continue;
    }
    if (k === 'insertTextFormat' && 'insertTextFormat' in out) continue;
    if (k === 'filterText' && 'filterText' in out) continue;
    const m = mapResult(view, x);
    if (m === DROP) return DROP;
    out[k] = m;
  }
  return out;
}

/** A feature's answer for one machine, in the host; undefined when it cannot be kept. */
function toHost<T>(view: MachineView, value: T): T | undefined {
  if (value === null || value === undefined) return value;
  const m = mapResult(view, value);
  return m === DROP ? undefined : (m as T);
}

/** Folding ranges are lines: a range folded onto one host line (a JSON string) is dropped. */
function mapFolding(view: MachineView, ranges: FoldingRange[]): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const r of ranges) {
    const h = view.toHostRange({
      start: { line: r.startLine, character: 0 },
      end: { line: r.endLine, character: 0 },
    });
    if (h.end.line > h.start.line) out.push({ ...r, startLine: h.start.line, endLine: h.end.line });
  }
  return out;
}

/** The states of a machine under one symbol named after it (a template can hold several). */
function machineSymbol(view: MachineView, states: DocumentSymbol[]): DocumentSymbol {
  const m = view.hosted.machine;
  const range = { start: view.host.positionAt(m.hostRange.start), end: view.host.positionAt(m.hostRange.end) };
  return {
    name: m.id,
    detail: 'state machine',
    kind: SymbolKind.Class,
    range,
    selectionRange: range,
    children: states,
  };
}

// ---------------------------------------------------------------- routing

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (params: any, ...rest: any[]) => any;

interface PositionParams {
  textDocument: { uri: string };
  position: Position;
}

/**
 * The connection the features register on: every document request that names a host document
 * is routed into its machines (see the file comment); any other document goes straight through.
 */
export function embeddedConnection(connection: Connection, documents: DocumentStore): Connection {
  const atPosition =
    (empty: unknown, map: (view: MachineView, result: unknown) => unknown = toHost) =>
    (register: (h: AnyHandler) => unknown) =>
    (handler: AnyHandler) =>
      register(async (p: PositionParams, ...rest: unknown[]) => {
        const uri = p.textDocument.uri;
        if (!documents.isHost(uri)) return handler(p, ...rest);
        const at = machineAt(documents, uri, p.position);
        if (!at) return empty;
        const result: unknown = await handler(
          { ...p, textDocument: { uri: at.view.uri }, position: at.position },
          ...rest,
        );
        return map(at.view, result) ?? empty;
      });

  const wholeDocument =
    (map: (view: MachineView, result: unknown) => unknown[]) =>
    (register: (h: AnyHandler) => unknown) =>
    (handler: AnyHandler) =>
      register(async (p: { textDocument: { uri: string } }, ...rest: unknown[]) => {
        const uri = p.textDocument.uri;
        if (!documents.isHost(uri)) return handler(p, ...rest);
        const out: unknown[] = [];
        for (const view of machineViews(documents, uri)) {
          const result: unknown = await handler({ ...p, textDocument: { uri: view.uri } }, ...rest);
          if (Array.isArray(result)) out.push(...map(view, result));
        }
        return out;
      });

  const renameToHost = (view: MachineView, result: unknown): unknown => {
    const mapped = toHost(view, result);
    if (mapped === undefined)
      throw new ResponseError(
        ErrorCodes.InvalidRequest,
        `The new name cannot be written into every reference of '${view.id}' in this file; rename it in the template by hand.`,
      );
    return mapped;
  };

  const wrap: Record<string, (register: (h: AnyHandler) => unknown) => (h: AnyHandler) => unknown> = {
    onHover: atPosition(null),
    onCompletion: atPosition(null),
    onDefinition: atPosition(null),
    onReferences: atPosition([]),
    onDocumentHighlight: atPosition([]),
    onPrepareRename: atPosition(null),
    onRenameRequest: atPosition(null, renameToHost),
    onDocumentSymbol: wholeDocument((view, r) => [machineSymbol(view, toHost(view, r as DocumentSymbol[]) ?? [])]),
    onFoldingRanges: wholeDocument((view, r) => mapFolding(view, r as FoldingRange[])),
    onCodeLens: wholeDocument((view, r) => (r as CodeLens[]).flatMap((l) => toHost(view, l) ?? [])),
    // the host language's formatter owns a template; the machine is formatted as an ASL file
    onDocumentFormatting: (register) => (handler) =>
      register((p: { textDocument: { uri: string } }, ...rest: unknown[]) =>
        documents.isHost(p.textDocument.uri) ? [] : handler(p, ...rest),
      ),
    onDocumentRangeFormatting: (register) => (handler) =>
      register((p: { textDocument: { uri: string } }, ...rest: unknown[]) =>
        documents.isHost(p.textDocument.uri) ? [] : handler(p, ...rest),
      ),
    onCodeAction: (register) => (handler) =>
      register(
        async (
          p: { textDocument: { uri: string }; range: Range; context: { diagnostics: Diagnostic[] } },
          ...rest: unknown[]
        ) => {
          const uri = p.textDocument.uri;
          if (!documents.isHost(uri)) return handler(p, ...rest);
          const at = machineAt(documents, uri, p.range.start);
          if (!at) return [];
          const range = at.view.toMachineRange(p.range) ?? { start: at.position, end: at.position };
          const diagnostics = p.context.diagnostics.flatMap((d) => {
            const r = at.view.toMachineRange(d.range);
            return r ? [{ ...d, range: r }] : [];
          });
          const result: unknown = await handler(
            { ...p, textDocument: { uri: at.view.uri }, range, context: { ...p.context, diagnostics } },
            ...rest,
          );
          return Array.isArray(result) ? result.flatMap((a: unknown) => toHost(at.view, a) ?? []) : [];
        },
      ),
  };

  const onRequest = (type: unknown, handler?: AnyHandler): unknown => {
    const method = (type as { method?: string })?.method;
    if (typeof handler !== 'function' || (method !== IamPolicyRequest.method && method !== StateGraphRequest.method))
      return (connection.onRequest as (...a: unknown[]) => unknown)(type, handler);
    return connection.onRequest(method, async (p: { uri: string; machine?: string }, ...rest: unknown[]) => {
      if (!documents.isHost(p.uri)) return handler(p, ...rest);
      const views = machineViews(documents, p.uri);
      const view = p.machine === undefined && views.length === 1 ? views[0] : views.find((v) => v.id === p.machine);
      if (!view) return null;
      const result: unknown = await handler({ ...p, uri: view.uri }, ...rest);
      if (method !== StateGraphRequest.method || !result) return result;
      const g = result as StateGraphResult;
      const m = view.hosted.machine;
      const nodes = g.graph.nodes.map((n) => {
        const start = m.toHost(n.range.offset);
        return {
          ...n,
          range: { offset: start, length: Math.max(0, m.toHost(n.range.offset + n.range.length) - start) },
        };
      });
      return { ...g, version: view.host.version, graph: { ...g.graph, nodes } };
    });
  };

  return new Proxy(connection, {
    get(target, prop, receiver) {
      if (prop === 'onRequest') return onRequest;
      if (typeof prop === 'string' && prop in wrap) {
        const register = (Reflect.get(target, prop, receiver) as AnyHandler).bind(target) as (h: AnyHandler) => unknown;
        return wrap[prop](register);
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
