/**
 * The graph preview: the `aslWorkbench.showGraphPreview` command (editor title + palette),
 * one panel per document, the serializer that restores panels after a reload, the overlay
 * API the run-locally UI uses to colour nodes while an execution runs, the test coverage the
 * Test Explorer's coverage runs mark (and "Clear Coverage in Graph"), and the paused states
 * the debugger marks.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { GraphCoverage, GraphOverlay } from '../../../asl/src/graph/types';
import type { DescriptionMessage, RenderedMessage, WebviewState } from './messages';
import { GRAPH_VIEW_TYPE, GraphPanel, panelOptions, type PanelHost } from './panel';
import { templateMachine } from '../templates';

/** Command id of "ASL Workbench: Show Graph Preview". */
export const SHOW_GRAPH_COMMAND = 'aslWorkbench.showGraphPreview';
/** Command id of "ASL Workbench: Clear Coverage in Graph". */
export const CLEAR_GRAPH_COVERAGE_COMMAND = 'aslWorkbench.clearGraphCoverage';
/** Context key: some graph has test coverage to clear (the command's palette entry). */
const COVERAGE_SHOWN_KEY = 'aslWorkbench.graphCoverageShown';

/** What the rest of the extension (run-locally UI, tests) can do with the preview. */
export interface GraphPreview {
  /** Opens (or reveals) the preview of a document, or of a template's machine uri, beside its editor. */
  show(uri: vscode.Uri): Promise<void>;
  /**
   * Colours the nodes of `uri`'s graph by run status (node ids = graph node ids: the state
   * name at the top level, "<Parallel>/Branches[i]/<name>" or "<Map>/ItemProcessor/<name>"
   * inside; a plain state name works too). Kept and re-sent when the panel opens or reloads;
   * `{states: {}}` clears it.
   */
  applyOverlay(uri: vscode.Uri, overlay: GraphOverlay): void;
  /** Removes the overlay of `uri`. */
  clearOverlay(uri: vscode.Uri): void;
  /**
   * Marks test coverage on `uri`'s graph (a machine file, or a template's machine uri): states
   * and transitions no test ran, and how often the others ran. Kept and re-sent when the panel
   * opens or reloads; undefined removes it.
   */
  showCoverage(uri: vscode.Uri, coverage: GraphCoverage | undefined): void;
  /** Removes the coverage of every graph ("ASL Workbench: Clear Coverage in Graph"). */
  clearCoverage(): void;
  /**
   * Marks the states a debug session of `uri` is paused before (node ids or state names; an
   * empty list clears them). Breakpoints are marked from VS Code's own breakpoint list.
   */
  showPausedStates(uri: vscode.Uri, states: readonly string[]): void;
  /** Fires after the webview drew a graph version (figures for tests and logs). */
  readonly onDidRender: vscode.Event<{ uri: string; message: RenderedMessage }>;
  /** The last render report of `uri`'s panel. */
  lastRendered(uri: vscode.Uri): RenderedMessage | undefined;
  /** The open panel of `uri`, if any. */
  panelFor(uri: vscode.Uri): vscode.WebviewPanel | undefined;
  /** What the webview of `uri` draws now: node ids, classes (status-*), labels (for tests). */
  describe(uri: vscode.Uri): Promise<DescriptionMessage | undefined>;
}

function isAslDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (doc.languageId === 'asl' || doc.languageId === 'asl-yaml');
}

/** Registers the command, the serializer and the overlay API; returns the API. */
export function registerGraphPreview(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log?: (line: string) => void,
): GraphPreview {
  const panels = new Map<string, GraphPanel>();
  const overlays = new Map<string, GraphOverlay>();
  const paused = new Map<string, readonly string[]>();
  const coverages = new Map<string, GraphCoverage>();
  const rendered = new Map<string, RenderedMessage>();
  const renderedEvent = new vscode.EventEmitter<{ uri: string; message: RenderedMessage }>();
  const host: PanelHost = {
    client,
    extensionUri: context.extensionUri,
    output: log ?? (() => undefined),
    overlayFor: (uri) => overlays.get(uri),
    coverageFor: (uri) => coverages.get(uri),
    pausedFor: (uri) => paused.get(uri) ?? [],
    onRendered: (uri, message) => {
      rendered.set(uri, message);
      renderedEvent.fire({ uri, message });
    },
    onDisposed: (panel) => {
      if (panels.get(panel.key) === panel) panels.delete(panel.key);
    },
  };
  const adopt = (panel: vscode.WebviewPanel, uri: vscode.Uri): GraphPanel => {
    const p = new GraphPanel(panel, uri, host);
    panels.get(p.key)?.dispose();
    panels.set(p.key, p);
    return p;
  };

  const show = async (uri: vscode.Uri): Promise<void> => {
    const existing = panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      'State machine graph',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(context.extensionUri),
    );
    adopt(panel, uri);
  };

  const setCoverage = (key: string, coverage: GraphCoverage | undefined): void => {
    if (coverage) coverages.set(key, coverage);
    else coverages.delete(key);
    panels.get(key)?.post({ type: 'coverage', coverage: coverage ?? null });
    void vscode.commands.executeCommand('setContext', COVERAGE_SHOWN_KEY, coverages.size > 0);
  };
  const clearCoverage = (): void => {
    for (const key of [...coverages.keys()]) setCoverage(key, undefined);
  };

  context.subscriptions.push(
    renderedEvent,
    vscode.commands.registerCommand(CLEAR_GRAPH_COVERAGE_COMMAND, clearCoverage),
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      // a template: the graph of one of its state machines
      const template = uri && (await templateMachine(client, uri, 'Graph'));
      if (template === null) return;
      if (template) return show(template.uri);
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : undefined;
      if (!uri || !isAslDocument(doc)) {
        void vscode.window.showInformationMessage('Open a state machine (.asl.json or .asl.yaml) to show its graph.');
        return;
      }
      await show(uri);
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const uri =
          state && typeof state === 'object' && typeof (state as WebviewState).uri === 'string'
            ? (state as WebviewState).uri
            : undefined;
        if (!uri) {
          panel.dispose();
          return;
        }
        adopt(panel, vscode.Uri.parse(uri));
      },
    }),
    { dispose: () => [...panels.values()].forEach((p) => p.dispose()) },
  );

  return {
    show,
    applyOverlay(uri, overlay) {
      const key = uri.toString();
      if (Object.keys(overlay.states).length) overlays.set(key, overlay);
      else overlays.delete(key);
      panels.get(key)?.post({ type: 'overlay', version: overlay.version, states: overlay.states });
    },
    clearOverlay(uri) {
      overlays.delete(uri.toString());
      panels.get(uri.toString())?.post({ type: 'overlay', states: {} });
    },
    showCoverage: (uri, coverage) => setCoverage(uri.toString(), coverage),
    clearCoverage,
    showPausedStates(uri, states) {
      const key = uri.toString();
      if (states.length) paused.set(key, [...states]);
      else paused.delete(key);
      void panels.get(key)?.sendDebugMarks();
    },
    onDidRender: renderedEvent.event,
    lastRendered: (uri) => rendered.get(uri.toString()),
    panelFor: (uri) => panels.get(uri.toString())?.panel,
    describe: async (uri) => panels.get(uri.toString())?.describe(),
  };
}
