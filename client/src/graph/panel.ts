/**
 * One graph preview panel for one document: asks the server for the graph
 * (`aslWorkbench/stateGraph`) when the panel is ready and ~150 ms after each edit, forwards
 * cursor moves as highlights, the run overlay, the test coverage and the debugger's marks
 * (breakpoints, paused states), and handles the webview's reveal/export/breakpoint requests.
 * Responses older than what was already sent are dropped.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { graphNodeAtOffset } from '../../../asl/src/graph/build';
import type { GraphCoverage, GraphOverlay, StateGraph } from '../../../asl/src/graph/types';
import { StateGraphRequest } from '../../../server/src/protocol';
import { breakpointLines, toggleStateBreakpoint } from '../debug/breakpoints';
import { statesAtLines } from '../debug/stateLines';
import { graphHtml } from './html';
import { requestTarget, splitMachineUri } from '../templates';
import {
  assertNever,
  type DescriptionMessage,
  type HostToWebview,
  type RenderedMessage,
  type WebviewToHost,
} from './messages';

/** View type of the panel (also the serializer's and the activation event's id). */
export const GRAPH_VIEW_TYPE = 'aslWorkbench.graph';
/** Debounce between an edit and the graph request. */
export const UPDATE_DELAY_MS = 150;

export interface PanelHost {
  client: LanguageClient;
  extensionUri: vscode.Uri;
  output: (line: string) => void;
  overlayFor(uri: string): GraphOverlay | undefined;
  /** the test coverage shown on `uri`'s graph */
  coverageFor(uri: string): GraphCoverage | undefined;
  /** node ids or state names a debug session of `uri` is paused before */
  pausedFor(uri: string): readonly string[];
  onRendered(uri: string, message: RenderedMessage): void;
  onDisposed(panel: GraphPanel): void;
}

/** The webview panel options: scripts on, resources only from dist/. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    retainContextWhenHidden: false,
  };
}

export class GraphPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sentVersion = -1;
  private graph: StateGraph | undefined;
  private highlighted: string | null = null;
  /** the debug marks last sent (JSON), so unchanged marks are not sent again */
  private sentMarks = '';
  private ready = false;
  private disposed = false;
  private readonly describeWaiters = new Map<number, (d: DescriptionMessage) => void>();
  private nextRequest = 1;
  /** the document the graph is drawn from (the template, for a machine uri) */
  readonly document: vscode.Uri;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly host: PanelHost,
  ) {
    panel.webview.options = panelOptions(host.extensionUri);
    const { document, machine } = splitMachineUri(uri);
    this.document = document;
    panel.title = `Graph: ${machine ?? uri.path.split('/').pop() ?? uri.toString()}`;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.documentKey && e.contentChanges.length) this.schedule();
      }),
      vscode.debug.onDidChangeBreakpoints(() => void this.sendDebugMarks()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.documentKey)
          this.highlightAt(e.textEditor.document, e.selections[0]?.active);
      }),
    );
    panel.webview.html = graphHtml(panel.webview, host.extensionUri);
  }

  /** The panel's uri: a document, or one state machine of a template (its machine uri). */
  get key(): string {
    return this.uri.toString();
  }

  /** The document the graph is drawn from (the template, for a machine uri). */
  private get documentKey(): string {
    return this.document.toString();
  }

  /** Sends a message if the webview is up (it asks for everything again when it reloads). */
  post(message: HostToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(message);
  }

  /** What the webview draws now (undefined if it does not answer within `timeoutMs`). */
  describe(timeoutMs = 5000): Promise<DescriptionMessage | undefined> {
    if (!this.ready || this.disposed) return Promise.resolve(undefined);
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.describeWaiters.delete(requestId);
        resolve(undefined);
      }, timeoutMs);
      this.describeWaiters.set(requestId, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
      this.post({ type: 'describe', requestId });
    });
  }

  /** Requests the graph again after the debounce delay. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), UPDATE_DELAY_MS);
  }

  /** Asks the server for the current graph and sends it unless it is older than the last one sent. */
  async refresh(attempt = 0): Promise<void> {
    if (this.disposed) return;
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(this.document); // also makes sure the server has it open
      await this.host.client.start();
    } catch (err) {
      this.host.output(`[graph] ${this.key}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const result = await this.host.client
      .sendRequest(StateGraphRequest, requestTarget(this.uri))
      .catch((err: unknown) => {
        this.host.output(`[graph] stateGraph failed: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      });
    if (this.disposed) return;
    // the server may not have seen the newest edit (or the didOpen) yet: ask again shortly
    if ((!result || result.version < doc.version) && attempt < 10) {
      this.timer = setTimeout(() => void this.refresh(attempt + 1), UPDATE_DELAY_MS);
      if (!result) return;
    }
    if (!result || result.version < this.sentVersion) return;
    this.sentVersion = result.version;
    if (!result.graph.problem || !this.graph) this.graph = result.graph;
    this.post({ type: 'graph', uri: this.key, version: result.version, graph: result.graph });
    void this.sendDebugMarks(doc);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.documentKey);
    if (editor) this.highlightAt(editor.document, editor.selection.active);
  }

  /** Sends the breakpoint and paused-state marks when they changed. */
  async sendDebugMarks(doc?: vscode.TextDocument): Promise<void> {
    const graph = this.graph;
    if (!graph || !this.ready || this.disposed) return;
    const d = doc ?? (await vscode.workspace.openTextDocument(this.document));
    const breakpoints = statesAtLines(graph.nodes, breakpointLines(this.document), (o) => d.positionAt(o).line);
    const paused = [...this.host.pausedFor(this.key)];
    const marks = JSON.stringify([breakpoints, paused]);
    if (marks === this.sentMarks) return;
    this.sentMarks = marks;
    this.post({ type: 'debugMarks', breakpoints, paused });
  }

  private highlightAt(doc: vscode.TextDocument, pos: vscode.Position | undefined): void {
    if (!this.graph || !pos) return;
    const id = graphNodeAtOffset(this.graph, doc.offsetAt(pos))?.id ?? null;
    if (id === this.highlighted) return;
    this.highlighted = id;
    this.post({ type: 'highlight', nodeId: id });
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.sentVersion = -1;
        this.highlighted = null;
        this.sentMarks = '';
        await this.refresh();
        const overlay = this.host.overlayFor(this.key);
        if (overlay) this.post({ type: 'overlay', ...overlay });
        const coverage = this.host.coverageFor(this.key);
        if (coverage) this.post({ type: 'coverage', coverage });
        break;
      }
      case 'reveal':
        await this.reveal(m.range);
        break;
      case 'toggleBreakpoint':
        if (this.graph)
          toggleStateBreakpoint(await vscode.workspace.openTextDocument(this.document), this.graph.nodes, m.nodeId);
        break;
      case 'export':
        await this.saveExport(m.format, m.data);
        break;
      case 'rendered':
        this.host.onRendered(this.key, m);
        this.host.output(
          `[graph] v${m.version} (${m.engine}): ${m.nodes} nodes, ${m.edges} edges, layout ${m.layoutMs.toFixed(0)} ms, render ${m.renderMs.toFixed(0)} ms${m.banner ? ` (${m.banner})` : ''}`,
        );
        break;
      case 'description': {
        const waiter = this.describeWaiters.get(m.requestId);
        this.describeWaiters.delete(m.requestId);
        waiter?.(m);
        break;
      }
      case 'error':
        this.host.output(`[graph] webview: ${m.message}`);
        break;
      default:
        assertNever(m);
    }
  }

  /** Shows the document (in its editor's column, else the other one) with the state selected. */
  private async reveal(range: { offset: number; length: number }): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.document);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.documentKey);
    const column =
      visible?.viewColumn ??
      (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
    const start = doc.positionAt(range.offset);
    const end = doc.positionAt(range.offset + range.length);
    editor.selection = new vscode.Selection(start, end);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async saveExport(format: 'svg' | 'png', data: string): Promise<void> {
    const base = this.document.path.replace(/\.(asl\.)?(json|ya?ml|asl)$/i, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: this.document.with({ path: `${base}.${format}` }),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export graph as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data, 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Graph exported to ${vscode.workspace.asRelativePath(target)}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.host.onDisposed(this);
    this.panel.dispose();
  }
}
